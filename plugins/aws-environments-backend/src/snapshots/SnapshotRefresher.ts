import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  StatusRange,
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
 * most, its metrics read ahead in a batch: DescribeServices, ListTasks
 * (stopped) and DescribeTasks (only when some stopped). The budget takes
 * this for hot reads.
 */
export const SUMMARY_CALLS = 3;

/**
 * What a first or cold read costs at most: also DescribeTaskDefinition,
 * DescribeScalableTargets and DescribeParameters, whose caches (a day,
 * 15 minutes) are empty or have expired by then (measured by the fleet
 * benchmark: charging less for these let a first pass overshoot the budget).
 */
export const COLD_SUMMARY_CALLS = SUMMARY_CALLS + 3;

/**
 * One GetMetricData call reads the series of a batch of summaries of one
 * account and region (see `AwsEnvironmentsService.prefetchSummaryMetrics`).
 */
export const METRICS_BATCH_CALLS = 1;

/**
 * How long a batch's reads may take at the budget's pace: well inside the
 * minute that series read ahead stay good for, so none reads its own.
 */
const BATCH_SPAN_SECONDS = 30;

/** The range of a summary's metrics: the last hour's CPU and memory. */
export const SUMMARY_RANGE: StatusRange = '1h';

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
      for (const batch of this.metricsBatches(due)) {
        await this.prefetchMetrics(batch);
        await Promise.all(
          batch.snapshots.map(s => limit(() => this.refresh(s))),
        );
      }
      read += due.length;
    }
    return read;
  }

  /**
   * Due snapshots by account and region, in batches whose reads fit the
   * budget's pace within BATCH_SPAN_SECONDS; each batch's metrics are one
   * call. Snapshots of environments no longer configured are left to
   * `refresh`, which skips them.
   */
  private metricsBatches(due: StoredSnapshot[]) {
    const { service, options } = this.deps;
    const size = Math.max(
      1,
      Math.floor(
        (BATCH_SPAN_SECONDS * options.callsPerSecond) / COLD_SUMMARY_CALLS,
      ),
    );
    const groups = new Map<string, StoredSnapshot[]>();
    for (const snapshot of due) {
      const environment = service
        .listEnvironments()
        .find(e => e.name === snapshot.environment);
      const key = environment
        ? `${environment.accountId}:${environment.region}`
        : '';
      groups.set(key, [...(groups.get(key) ?? []), snapshot]);
    }
    return [...groups].flatMap(([budgetKey, snapshots]) => {
      const batches = [];
      for (let at = 0; at < snapshots.length; at += size) {
        batches.push({ budgetKey, snapshots: snapshots.slice(at, at + size) });
      }
      return batches;
    });
  }

  private async prefetchMetrics(batch: {
    budgetKey: string;
    snapshots: StoredSnapshot[];
  }) {
    if (!batch.budgetKey) return;
    await this.deps.budget.take(
      batch.budgetKey,
      METRICS_BATCH_CALLS,
      'background',
    );
    // Failures are kept for the summaries, which report them.
    await this.deps.service.prefetchSummaryMetrics({
      environments: batch.snapshots.map(s => ({
        project: s.project,
        environment: s.environment,
      })),
      range: SUMMARY_RANGE,
    });
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
      'background',
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
        range: SUMMARY_RANGE,
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
