import {
  AwsEnvironmentConfig,
  MetricSeries,
  StatusRange,
  environmentResourceNames,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { awsClients } from '../aws/awsClients';
import { rangeWindow } from '../aws/ranges';
import { readMetricsBatch } from '../aws/readMetricsBatch';
import { TimeBudget } from './TimeBudget';

/** How long series read ahead stay good for a summary. */
const MAX_AGE_MS = 60_000;

/** One environment of one project whose summary is about to be read. */
export interface SummaryTarget {
  project: string;
  environment: AwsEnvironmentConfig;
}

/**
 * Service series read ahead, in one GetMetricData request per account and
 * region (500 queries each), for the summary reads that follow: a batch of
 * summaries then costs one metrics call instead of one each. Each entry is
 * used once, by the read it was fetched for, and only within a minute (the
 * series' period), so a summary never shows older metrics than its own read
 * would have. A failed batch is kept as that failure, so the summaries
 * report it instead of each calling CloudWatch again.
 */
export class PrefetchedMetrics {
  private readonly entries = new Map<
    string,
    { at: number; result: PromiseSettledResult<MetricSeries[]> }
  >();

  constructor(
    private readonly deps: { clients: AwsClientFactory; timeoutMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  async prefetch(targets: SummaryTarget[], range: StatusRange): Promise<void> {
    const groups = new Map<string, SummaryTarget[]>();
    for (const t of targets) {
      const group = `${t.environment.accountId}:${t.environment.region}`;
      groups.set(group, [...(groups.get(group) ?? []), t]);
    }
    await Promise.all(
      [...groups.values()].map(group => this.prefetchGroup(group, range)),
    );
  }

  /** The series read ahead for this summary, removed; undefined when none. */
  take(
    target: SummaryTarget,
    range: StatusRange,
  ): PromiseSettledResult<MetricSeries[]> | undefined {
    const key = entryKey(target, range);
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry || this.now() - entry.at >= MAX_AGE_MS) return undefined;
    return entry.result;
  }

  get size(): number {
    return this.entries.size;
  }

  private async prefetchGroup(group: SummaryTarget[], range: StatusRange) {
    const keys = group.map(t => entryKey(t, range));
    const budget = new TimeBudget(this.deps.timeoutMs);
    let results: PromiseSettledResult<MetricSeries[]>[];
    try {
      const clients = await budget.within(
        awsClients(this.deps.clients, group[0].environment),
      );
      const series = await budget.within(
        readMetricsBatch(
          clients.cloudwatch,
          group.map((t, i) => ({
            key: keys[i],
            names: environmentResourceNames(t.project, t.environment.name),
          })),
          rangeWindow(range, new Date(this.now())),
        ),
      );
      results = keys.map(key => ({
        status: 'fulfilled',
        value: series.get(key) ?? [],
      }));
    } catch (error) {
      results = keys.map(() => ({ status: 'rejected', reason: error }));
    } finally {
      budget.end();
    }
    const now = this.now();
    for (const [k, e] of this.entries) {
      if (now - e.at >= MAX_AGE_MS) this.entries.delete(k);
    }
    keys.forEach((key, i) =>
      this.entries.set(key, { at: now, result: results[i] }),
    );
  }
}

function entryKey(target: SummaryTarget, range: StatusRange): string {
  const { accountId, region, name } = target.environment;
  return [target.project, name, accountId, region, range].join(':');
}
