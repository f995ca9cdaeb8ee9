import {
  CloudWatchClient,
  MetricDataResult,
  paginateGetMetricData,
} from '@aws-sdk/client-cloudwatch';
import {
  EnvironmentResourceNames,
  MetricSeries,
} from '@envplane/plugin-aws-environments-common';
import { RangeWindow } from './ranges';
import { metricQuery, serviceSeries, toSeries } from './readMetrics';

/** GetMetricData's limit on queries in one request. */
export const MAX_METRIC_QUERIES = 500;

/** One environment whose service series a batch reads. */
export interface MetricsBatchTarget {
  /** The caller's key for the environment's series in the answer. */
  key: string;
  names: Pick<EnvironmentResourceNames, 'clusterName' | 'serviceName'>;
}

/**
 * The service series of many environments of one account and region, in
 * one GetMetricData request per 500 queries instead of one per environment:
 * what summaries of a whole batch need. Query ids carry the target's index,
 * as CloudWatch requires ids unique within a request. Pages (CloudWatch
 * pages by data points, not queries) are joined per query.
 */
export async function readMetricsBatch(
  cloudwatch: CloudWatchClient,
  targets: MetricsBatchTarget[],
  window: RangeWindow,
): Promise<Map<string, MetricSeries[]>> {
  const queries = targets.flatMap((target, i) =>
    serviceSeries(target.names).map(d => ({ target, d, id: `e${i}_${d.id}` })),
  );
  const results = new Map<string, MetricDataResult>();
  for (let at = 0; at < queries.length; at += MAX_METRIC_QUERIES) {
    const chunk = queries.slice(at, at + MAX_METRIC_QUERIES);
    const pages = paginateGetMetricData(
      { client: cloudwatch },
      {
        MetricDataQueries: chunk.map(q =>
          metricQuery(q.d, q.id, window.periodSeconds),
        ),
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending',
      },
    );
    for await (const page of pages) {
      for (const r of page.MetricDataResults ?? []) {
        const seen = r.Id ? results.get(r.Id) : undefined;
        if (!r.Id) continue;
        results.set(
          r.Id,
          seen
            ? {
                ...seen,
                Timestamps: [
                  ...(seen.Timestamps ?? []),
                  ...(r.Timestamps ?? []),
                ],
                Values: [...(seen.Values ?? []), ...(r.Values ?? [])],
              }
            : r,
        );
      }
    }
  }
  const byTarget = new Map<string, MetricSeries[]>();
  for (const q of queries) {
    const series = toSeries(q.d, results.get(q.id), window.periodSeconds);
    byTarget.set(q.target.key, [...(byTarget.get(q.target.key) ?? []), series]);
  }
  return byTarget;
}
