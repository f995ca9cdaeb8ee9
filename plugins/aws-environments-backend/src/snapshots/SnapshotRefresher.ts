import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  errorMessage,
  summarizeStatus,
} from '@envplane/plugin-aws-environments-common';
import pLimit from 'p-limit';
import { AwsEnvironmentsService } from '../service/AwsEnvironmentsService';
import { discoverProjectEnvironments } from '../service/discoverProjectEnvironments';
import { CallBudget } from './CallBudget';
import { SnapshotOptions } from './snapshotOptions';
import {
  SnapshotKey,
  StatusSnapshotStore,
  StoredSnapshot,
} from './StatusSnapshotStore';

/**
 * The AWS calls a summary read of a recently read environment costs at
 * most: DescribeServices, ListTasks (stopped), DescribeTasks (only when
 * some stopped) and GetMetricData. The budget takes this for hot reads.
 */
export const SUMMARY_CALLS = 4;

/**
 * What a first or cold read costs at most: also DescribeTaskDefinition,
 * DescribeScalableTargets and DescribeParameters, whose caches (a day,
 * 15 minutes) are empty or have expired by then (measured by the fleet
 * benchmark: charging 4 for these let a first pass overshoot the budget).
 */
export const COLD_SUMMARY_CALLS = SUMMARY_CALLS + 3;

/** How often the catalog is asked which environments exist. */
const DISCOVERY_INTERVAL_MS = 60_000;
/** Snapshots taken from the queue at a time. */
const BATCH = 20;

/**
 * Keeps every (project, environment) snapshot fresh in the background, so
 * page views read the database instead of AWS: recently viewed ones every
 * hot interval, the rest every cold interval, requested ones (a view found
 * them missing or stale) first, and never more AWS calls than the budget
 * of their account and region allows. One replica runs it at a time.
 */
export class SnapshotRefresher {
  private discoveredAt = 0;

  constructor(
    private readonly deps: {
      store: StatusSnapshotStore;
      service: AwsEnvironmentsService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      options: SnapshotOptions;
      budget: CallBudget;
      now?: () => Date;
      /** Summaries read at a time; the budget still bounds the rate. */
      concurrency?: number;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * One pass: learns new environments from the catalog (once a minute),
   * then reads due snapshots until none is due or `maxMs` has passed.
   * Returns how many snapshots it read.
   */
  async tick(maxMs = 25_000): Promise<number> {
    const started = this.now().getTime();
    if (started - this.discoveredAt >= DISCOVERY_INTERVAL_MS) {
      await this.discover();
    }
    const limit = pLimit(this.deps.concurrency ?? 4);
    let read = 0;
    while (this.now().getTime() - started < maxMs) {
      const due = await this.deps.store.due(BATCH);
      if (due.length === 0) {
        break;
      }
      await Promise.all(due.map(s => limit(() => this.refresh(s))));
      read += due.length;
    }
    return read;
  }

  /** Every (project, environment) the catalog's entities name. */
  async discover(): Promise<SnapshotKey[]> {
    const configured = this.deps.service.listEnvironments().map(e => e.name);
    const list = await discoverProjectEnvironments(
      this.deps.catalog,
      await this.deps.auth.getOwnServiceCredentials(),
      configured,
    );
    await this.deps.store.ensure(list);
    const removed = await this.deps.store.retainOnly(list);
    if (removed > 0) {
      this.deps.logger.info(
        `Removed ${removed} status snapshots no entity names any more`,
      );
    }
    this.discoveredAt = this.now().getTime();
    return list;
  }

  private async refresh(snapshot: StoredSnapshot): Promise<void> {
    const { store, service, options, budget, logger } = this.deps;
    const environment = service
      .listEnvironments()
      .find(e => e.name === snapshot.environment);
    if (!environment) {
      // Removed from config: the next discovery drops it.
      return;
    }
    const isHot = (at: Date) =>
      snapshot.viewedAt !== undefined &&
      at.getTime() - snapshot.viewedAt.getTime() < options.hotForMs;
    // A hot environment was read a hot interval ago: its slow caches hold.
    await budget.take(
      `${environment.accountId}:${environment.region}`,
      snapshot.summary && isHot(this.now())
        ? SUMMARY_CALLS
        : COLD_SUMMARY_CALLS,
    );
    const now = this.now();
    const hot = isHot(now);
    const next = new Date(
      now.getTime() + (hot ? options.hotIntervalMs : options.coldIntervalMs),
    );
    try {
      const [status] = await service.getProjectStatus({
        project: snapshot.project,
        environments: [environment.name],
        range: '1h',
        detail: 'summary',
        fresh: true,
      });
      await store.save(snapshot, summarizeStatus(status), next);
    } catch (error) {
      logger.warn(
        `Refreshing the status snapshot of ${snapshot.project}/${
          snapshot.environment
        } failed: ${errorMessage(error)}`,
      );
      // Kept as it was, and out of the way of the rest of the queue.
      await store.postpone(snapshot, next);
    }
  }
}
