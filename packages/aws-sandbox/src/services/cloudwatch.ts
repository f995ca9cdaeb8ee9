/*
 * CloudWatch metrics. The current SDK speaks awsJson1_0 to it
 * (GraniteServiceVersion20100801.*, x-amzn-query-mode: true, timestamps as
 * epoch seconds) and reads error codes from x-amzn-query-error, so errors
 * carry both the JSON shape name and the query code. The AWS CLI and SDK v2
 * speak awsQuery (cloudwatchQuery.ts); the same handlers answer both.
 * Metric alarms are in cloudwatchAlarms.ts.
 */
import { AwsError } from '../protocol/errors';
import { jsonTime } from '../protocol/awsJson';
import type { RequestContext, ServiceDefinition } from './types';
import {
  catalogue,
  customKey,
  Dimension,
  findSeries,
  isValidStatistic,
  Sample,
  statistic,
} from '../simulation/metrics';
import { decodeToken, encodeToken, paginate } from './paging';
import { cloudwatchQuery } from './cloudwatchQuery';
import { combination, invalidValue, missing } from './cloudwatchErrors';
import { alarmOperations } from './cloudwatchAlarms';

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

function validPeriod(period: unknown): period is number {
  return (
    typeof period === 'number' &&
    Number.isInteger(period) &&
    period > 0 &&
    ([1, 5, 10, 20, 30].includes(period) || period % 60 === 0)
  );
}

// ---- metric math (the common subset) ---------------------------------------

type Value = number | Map<number, number> | Map<number, number>[];

function tokenize(expr: string): string[] {
  const tokens = expr.match(
    /\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|"[^"]*"|[()+\-*/,])/g,
  );
  if (
    !tokens ||
    tokens.join('').replace(/\s/g, '') !== expr.replace(/\s/g, '')
  ) {
    throw new Error('Syntax error');
  }
  return tokens.map(t => t.trim());
}

function evaluate(
  expr: string,
  env: Map<string, Map<number, number>>,
): Map<number, number> {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`Expected ${t}`);
  };
  const binary = (
    a: Value,
    b: Value,
    op: (x: number, y: number) => number,
  ): Value => {
    if (Array.isArray(a) || Array.isArray(b))
      throw new Error('Cannot combine a list of series');
    if (typeof a === 'number' && typeof b === 'number') return op(a, b);
    if (typeof a === 'number')
      return new Map(
        [...(b as Map<number, number>)].map(([t, v]) => [t, op(a, v)]),
      );
    if (typeof b === 'number')
      return new Map([...a].map(([t, v]) => [t, op(v, b)]));
    const out = new Map<number, number>();
    for (const [t, v] of a) if (b.has(t)) out.set(t, op(v, b.get(t)!));
    return out;
  };
  const reduceSeries = (
    list: Map<number, number>[],
    fn: (vs: number[]) => number,
  ) => {
    const times = new Map<number, number[]>();
    for (const s of list)
      for (const [t, v] of s)
        (times.get(t) ?? times.set(t, []).get(t)!).push(v);
    return new Map([...times].map(([t, vs]) => [t, fn(vs)]));
  };
  const fns: Record<string, (args: Value[]) => Value> = {
    METRICS: args => {
      const filter = typeof args[0] === 'string' ? String(args[0]) : undefined;
      return [...env.entries()]
        .filter(([id]) => !filter || id.includes(filter))
        .map(([, s]) => s);
    },
    SUM: ([a]) =>
      Array.isArray(a)
        ? reduceSeries(a, vs => vs.reduce((x, y) => x + y, 0))
        : a,
    AVG: ([a]) =>
      Array.isArray(a)
        ? reduceSeries(a, vs => vs.reduce((x, y) => x + y, 0) / vs.length)
        : a,
    MIN: ([a]) =>
      Array.isArray(a) ? reduceSeries(a, vs => Math.min(...vs)) : a,
    MAX: ([a]) =>
      Array.isArray(a) ? reduceSeries(a, vs => Math.max(...vs)) : a,
    ABS: ([a]) => binary(a, 0, x => Math.abs(x)),
    FILL: ([a, b]) => {
      if (!(a instanceof Map) || typeof b !== 'number')
        throw new Error('FILL(series, number)');
      return a;
    },
  };
  function primary(): Value {
    const t = next();
    if (t === undefined) throw new Error('Unexpected end');
    if (t === '(') {
      const v = sum();
      expect(')');
      return v;
    }
    if (t === '-') return binary(primary(), -1, (x, y) => x * y);
    if (/^\d/.test(t)) return Number(t);
    if (t.startsWith('"')) return t.slice(1, -1) as unknown as number;
    if (peek() === '(') {
      next();
      const args: Value[] = [];
      if (peek() !== ')') {
        args.push(sum());
        while (peek() === ',') {
          next();
          args.push(sum());
        }
      }
      expect(')');
      const fn = fns[t.toUpperCase()];
      if (!fn) throw new Error(`Unsupported function ${t}`);
      return fn(args);
    }
    const series = env.get(t);
    if (!series) throw new Error(`Unknown identifier ${t}`);
    return series;
  }
  function product(): Value {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      v = binary(v, primary(), op === '*' ? (x, y) => x * y : (x, y) => x / y);
    }
    return v;
  }
  function sum(): Value {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      v = binary(v, product(), op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  }
  const result = sum();
  if (pos !== tokens.length) throw new Error('Syntax error');
  if (Array.isArray(result))
    throw new Error('The expression returns several time series');
  if (typeof result === 'number')
    throw new Error('The expression returns a scalar');
  return result;
}

// ---- operations ------------------------------------------------------------

function getMetricData(input: any, ctx: RequestContext) {
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

export const cloudwatch: ServiceDefinition = {
  name: 'cloudwatch',
  signingName: 'monitoring',
  protocol: 'json1.0',
  targetPrefix: 'GraniteServiceVersion20100801',
  queryCompatible: true,
  query: cloudwatchQuery,
  operations: {
    GetMetricData: getMetricData,
    ...alarmOperations,

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
      const filters: { Name: string; Value?: string }[] =
        input.Dimensions ?? [];
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
        throw invalidValue(
          `The value AWS/ for parameter Namespace is invalid.`,
        );
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
          metric.points.push([
            t,
            sv.Sum,
            sv.SampleCount,
            sv.Minimum,
            sv.Maximum,
          ]);
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
  },
};
