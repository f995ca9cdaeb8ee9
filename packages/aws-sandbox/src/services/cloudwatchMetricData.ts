/*
 * GetMetricData: several metrics, and expressions over them
 * (cloudwatchMetricMath.ts), for one time range, paged by a datapoint budget.
 */
import { AwsError } from '../protocol/errors';
import { jsonTime } from '../protocol/awsJson';
import type { RequestContext } from './types';
import {
  catalogue,
  findSeries,
  isValidStatistic,
  Sample,
  statistic,
} from '../simulation/metrics';
import { decodeToken, encodeToken } from './paging';
import { invalidValue, missing } from './cloudwatchErrors';
import { evaluate } from './cloudwatchMetricMath';
import { validPeriod } from './cloudwatchMetrics';

/** Buckets samples into periods aligned to multiples of the period. */
function aggregate(
  samples: Sample[],
  periodMs: number,
  stat: string,
): Map<number, number> {
  const buckets = new Map<number, Sample[]>();
  for (const s of samples) {
    const b = Math.floor(s.t / periodMs) * periodMs;
    let list = buckets.get(b);
    if (!list) buckets.set(b, (list = []));
    list.push(s);
  }
  const out = new Map<number, number>();
  for (const [t, list] of buckets) {
    const v = statistic(stat, list);
    if (v !== undefined) out.set(t, v);
  }
  return out;
}

export function getMetricData(input: any, ctx: RequestContext) {
  const queries: any[] = input.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0)
    throw missing('MetricDataQueries');
  if (queries.length > 500) {
    throw invalidValue(
      'The collection MetricDataQueries must not have a size greater than 500.',
    );
  }
  const start = jsonTime(input.StartTime);
  const end = jsonTime(input.EndTime);
  if (start === undefined) throw missing('StartTime');
  if (end === undefined) throw missing('EndTime');
  if (start >= end) {
    throw invalidValue(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  }
  const ids = new Set<string>();
  for (const q of queries) {
    if (typeof q?.Id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) {
      throw new AwsError(
        'ValidationError',
        `Invalid metric data query Id ${JSON.stringify(
          q?.Id,
        )}: the Id must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    if (ids.has(q.Id)) {
      throw new AwsError(
        'ValidationError',
        `The value ${q.Id} for field Id must be unique.`,
      );
    }
    ids.add(q.Id);
    if (!!q.MetricStat === !!q.Expression) {
      throw new AwsError(
        'ValidationError',
        `Exactly one of MetricStat and Expression must be specified for query ${q.Id}.`,
      );
    }
    if (q.MetricStat) {
      const ms = q.MetricStat;
      if (!ms.Metric?.Namespace || !ms.Metric?.MetricName) {
        throw new AwsError(
          'ValidationError',
          `The Metric of query ${q.Id} needs Namespace and MetricName.`,
        );
      }
      if (!validPeriod(ms.Period)) {
        throw new AwsError(
          'ValidationError',
          `The value ${ms.Period} for parameter MetricDataQueries.member.${
            [...ids].length
          }.MetricStat.Period is not a multiple of 60 (or 1, 5, 10, 20, 30).`,
        );
      }
      if (!isValidStatistic(ms.Stat)) {
        throw new AwsError(
          'ValidationError',
          `Invalid statistic ${ms.Stat} in query ${q.Id}.`,
        );
      }
    }
  }
  const all = catalogue(ctx.regionState, ctx.sandbox.state.seed, ctx.now);
  const computed = new Map<string, Map<number, number>>();
  const results: any[] = [];
  for (const q of queries.filter(x => x.MetricStat)) {
    const ms = q.MetricStat;
    const series = findSeries(
      all,
      ms.Metric.Namespace,
      ms.Metric.MetricName,
      ms.Metric.Dimensions ?? [],
    );
    const periodMs = ms.Period * 1000;
    const alignedStart = Math.floor(start / periodMs) * periodMs;
    const data = series
      ? aggregate(series.samples(alignedStart, end), periodMs, ms.Stat)
      : new Map();
    computed.set(q.Id, data);
  }
  for (const q of queries.filter(x => x.Expression)) {
    try {
      computed.set(q.Id, evaluate(String(q.Expression), computed));
    } catch (e) {
      throw new AwsError(
        'ValidationError',
        `Error in expression '${q.Id}': ${(e as Error).message}`,
      );
    }
  }
  const ascending = input.ScanBy === 'TimestampAscending';
  for (const q of queries) {
    if (q.ReturnData === false) continue;
    const data = [...(computed.get(q.Id) ?? new Map()).entries()].sort((a, b) =>
      ascending ? a[0] - b[0] : b[0] - a[0],
    );
    results.push({
      Id: q.Id,
      Label: q.Label ?? (q.MetricStat ? q.MetricStat.Metric.MetricName : q.Id),
      points: data,
    });
  }
  // Pagination by datapoint budget (MaxDatapoints, default 100,800).
  const budget = input.MaxDatapoints ?? 100_800;
  if (!Number.isInteger(budget) || budget < 1)
    throw invalidValue('MaxDatapoints must be positive.');
  const fingerprint = `${start}|${end}|${queries.map(q => q.Id).join(',')}`;
  let offset = 0;
  if (input.NextToken)
    offset = decodeToken(input.NextToken, fingerprint, 'InvalidNextToken');
  let skip = offset;
  let left = budget;
  let consumed = 0;
  const out = [];
  for (const r of results) {
    const fromIdx = Math.min(skip, r.points.length);
    skip -= fromIdx;
    const take = Math.min(left, r.points.length - fromIdx);
    const pts = r.points.slice(fromIdx, fromIdx + take);
    left -= take;
    consumed += take;
    const complete = fromIdx + take >= r.points.length;
    out.push({
      Id: r.Id,
      Label: r.Label,
      Timestamps: pts.map((p: [number, number]) => new Date(p[0])),
      Values: pts.map((p: [number, number]) => p[1]),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    });
  }
  const total = results.reduce((n, r) => n + r.points.length, 0);
  const nextOffset = offset + consumed;
  return {
    MetricDataResults: out,
    NextToken:
      nextOffset < total ? encodeToken(nextOffset, fingerprint) : undefined,
    Messages: [],
  };
}
