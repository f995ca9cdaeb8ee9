/*
 * GetMetricStatistics, ListMetrics and PutMetricData, over the seeded ECS
 * series and the region's custom metrics (simulation/metrics.ts).
 */
import { jsonTime } from '../protocol/awsJson';
import type { Handler } from './types';
import {
  catalogue,
  customKey,
  Dimension,
  findSeries,
  isValidStatistic,
  Sample,
  statistic,
} from '../simulation/metrics';
import { paginate } from './paging';
import { combination, invalidValue, missing } from './cloudwatchErrors';

export function validPeriod(period: unknown): period is number {
  return (
    typeof period === 'number' &&
    Number.isInteger(period) &&
    period > 0 &&
    ([1, 5, 10, 20, 30].includes(period) || period % 60 === 0)
  );
}

export const metricOperations: Record<string, Handler> = {
  GetMetricStatistics: (input, ctx) => {
    for (const k of [
      'Namespace',
      'MetricName',
      'StartTime',
      'EndTime',
      'Period',
    ]) {
      if (input[k] === undefined) throw missing(k);
    }
    const stats: string[] = [
      ...(input.Statistics ?? []),
      ...(input.ExtendedStatistics ?? []),
    ];
    if (stats.length === 0) {
      throw combination(
        'Must specify either Statistics or ExtendedStatistics.',
      );
    }
    for (const s of stats) {
      if (!isValidStatistic(s))
        throw invalidValue(
          `The value ${s} for parameter Statistics is not valid.`,
        );
    }
    if (!validPeriod(input.Period)) {
      throw invalidValue('The parameter Period must be a multiple of 60.');
    }
    const start = jsonTime(input.StartTime)!;
    const end = jsonTime(input.EndTime)!;
    if (start >= end) {
      throw invalidValue(
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    }
    const periodMs = input.Period * 1000;
    if ((end - start) / periodMs > 1440) {
      throw combination(
        'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      );
    }
    const all = catalogue(ctx.regionState, ctx.sandbox.state.seed, ctx.now);
    const series = findSeries(
      all,
      input.Namespace,
      input.MetricName,
      input.Dimensions ?? [],
    );
    const samples = series
      ? series.samples(Math.floor(start / periodMs) * periodMs, end)
      : [];
    const buckets = new Map<number, Sample[]>();
    for (const s of samples) {
      const b = Math.floor(s.t / periodMs) * periodMs;
      (buckets.get(b) ?? buckets.set(b, []).get(b)!).push(s);
    }
    return {
      Label: input.MetricName,
      Datapoints: [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([t, list]) => {
          const dp: Record<string, unknown> = {
            Timestamp: new Date(t),
            Unit: series?.unit ?? 'None',
          };
          for (const s of input.Statistics ?? []) dp[s] = statistic(s, list);
          if (input.ExtendedStatistics?.length) {
            dp.ExtendedStatistics = Object.fromEntries(
              input.ExtendedStatistics.map((s: string) => [
                s,
                statistic(s, list),
              ]),
            );
          }
          return dp;
        }),
    };
  },

  ListMetrics: (input, ctx) => {
    const filters: { Name: string; Value?: string }[] = input.Dimensions ?? [];
    const recent = input.RecentlyActive === 'PT3H';
    const all = catalogue(ctx.regionState, ctx.sandbox.state.seed, ctx.now)
      .filter(s => !input.Namespace || s.Namespace === input.Namespace)
      .filter(s => !input.MetricName || s.MetricName === input.MetricName)
      .filter(s =>
        filters.every(f =>
          s.Dimensions.some(
            d =>
              d.Name === f.Name &&
              (f.Value === undefined || d.Value === f.Value),
          ),
        ),
      )
      .filter(
        s => !recent || s.samples(ctx.now - 3 * 3600_000, ctx.now).length > 0,
      )
      .map(s => ({
        Namespace: s.Namespace,
        MetricName: s.MetricName,
        Dimensions: s.Dimensions,
      }));
    const { page, nextToken } = paginate(all, {
      nextToken: input.NextToken,
      defaultSize: 500,
      maxSize: 500,
      tokenError: 'InvalidNextToken',
      fingerprint: `${input.Namespace ?? ''}|${input.MetricName ?? ''}`,
    });
    return { Metrics: page, NextToken: nextToken };
  },

  PutMetricData: (input, ctx) => {
    const ns = input.Namespace;
    if (typeof ns !== 'string' || !ns) throw missing('Namespace');
    if (ns.startsWith('AWS/')) {
      throw invalidValue(`The value AWS/ for parameter Namespace is invalid.`);
    }
    const data: any[] = input.MetricData ?? [];
    if (data.length === 0) throw missing('MetricData');
    if (data.length > 1000) {
      throw invalidValue(
        'The collection MetricData must not have a size greater than 1000.',
      );
    }
    for (const d of data) {
      if (typeof d.MetricName !== 'string' || !d.MetricName)
        throw missing('MetricData.member.N.MetricName');
      const dims: Dimension[] = d.Dimensions ?? [];
      if (dims.length > 30)
        throw invalidValue(
          'The collection Dimensions must not have a size greater than 30.',
        );
      const t = jsonTime(d.Timestamp) ?? ctx.now;
      const key = customKey(ns, d.MetricName, dims);
      const metric = (ctx.regionState.cloudwatch.custom[key] ??= {
        Namespace: ns,
        MetricName: d.MetricName,
        Dimensions: dims,
        points: [],
        unit: d.Unit,
      });
      if (d.StatisticValues) {
        const sv = d.StatisticValues;
        metric.points.push([t, sv.Sum, sv.SampleCount, sv.Minimum, sv.Maximum]);
      } else if (Array.isArray(d.Values)) {
        d.Values.forEach((v: number, i: number) => {
          const c = d.Counts?.[i] ?? 1;
          metric.points.push([t, v * c, c, v, v]);
        });
      } else {
        const v = Number(d.Value);
        if (!Number.isFinite(v))
          throw invalidValue(
            'The value for parameter MetricData.member.N.Value is not a valid number.',
          );
        metric.points.push([t, v, 1, v, v]);
      }
      metric.points.sort((a, b) => a[0] - b[0]);
      // Keep 15 days of data, like CloudWatch's 1-minute retention.
      const cutoff = ctx.now - 15 * 86400_000;
      while (metric.points.length && metric.points[0][0] < cutoff)
        metric.points.shift();
    }
    return {};
  },
};
