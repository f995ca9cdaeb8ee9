/*
 * The metric catalogue: ECS service metrics generated deterministically from
 * the seed at 1-minute resolution (AWS/ECS CPUUtilization and
 * MemoryUtilization, ECS/ContainerInsights RunningTaskCount) plus whatever
 * PutMetricData stored. Generated values are a pure function of
 * (seed, series, minute), so any time range can be computed on demand and a
 * test can predict them with metricValue().
 */
import type { RegionState } from '../state';
import type { EcsService } from '../stateEcs';
import { hashString, noise } from './random';

export interface Dimension {
  Name: string;
  Value: string;
}

/** One minute (or one stored datapoint) of a metric. */
export interface Sample {
  t: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

export interface Series {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  unit: string;
  /** Samples with start <= t < end. */
  samples(start: number, end: number): Sample[];
}

const MINUTE = 60_000;

/**
 * The generated utilisation (percent) of a service at a minute, as the
 * sandbox reports it. Exported so tests can assert exact values.
 */
export function metricValue(
  seed: number,
  metric: 'CPUUtilization' | 'MemoryUtilization',
  clusterName: string,
  serviceName: string,
  minuteStartMs: number,
): number {
  const key = hashString(`${metric}|${clusterName}|${serviceName}`);
  const minute = Math.floor(minuteStartMs / MINUTE);
  const cpu = metric === 'CPUUtilization';
  const base = cpu
    ? 10 + 40 * noise(seed, key, 1)
    : 20 + 30 * noise(seed, key, 2);
  const amplitude = cpu ? 8 : 3;
  const jitter = cpu ? 10 : 4;
  const daily = Math.sin((2 * Math.PI * (minute % 1440)) / 1440);
  const v =
    base + amplitude * daily + (noise(seed, key, minute) - 0.5) * jitter;
  return Math.round(Math.min(99.5, Math.max(0.5, v)) * 1e6) / 1e6;
}

/** Running task count of a service at time t (step function of history). */
export function runningAt(svc: EcsService, t: number): number | undefined {
  const h = svc.runningHistory;
  if (h.length === 0 || t < h[0][0]) return undefined;
  if (
    svc.status === 'INACTIVE' &&
    svc.deletedAt !== undefined &&
    t > svc.deletedAt + 10 * MINUTE
  ) {
    return undefined;
  }
  let lo = 0;
  let hi = h.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (h[mid][0] <= t) lo = mid;
    else hi = mid - 1;
  }
  return h[lo][1];
}

function minutes(start: number, end: number, now: number): number[] {
  const out: number[] = [];
  // Only complete minutes exist, as in CloudWatch.
  const last = Math.min(end, now - MINUTE + 1);
  for (let t = Math.ceil(start / MINUTE) * MINUTE; t < last; t += MINUTE)
    out.push(t);
  return out;
}

function single(t: number, v: number): Sample {
  return { t, sum: v, count: 1, min: v, max: v };
}

export function catalogue(r: RegionState, seed: number, now: number): Series[] {
  const out: Series[] = [];
  const services = Object.values(r.ecs.services);
  for (const svc of services) {
    const dims = [
      { Name: 'ClusterName', Value: svc.clusterName },
      { Name: 'ServiceName', Value: svc.serviceName },
    ];
    // A minute's count is what was running at its end.
    const countAt = (t: number) =>
      runningAt(svc, Math.min(t + MINUTE - 1, now));
    for (const metric of ['CPUUtilization', 'MemoryUtilization'] as const) {
      out.push({
        Namespace: 'AWS/ECS',
        MetricName: metric,
        Dimensions: dims,
        unit: 'Percent',
        samples: (start, end) =>
          minutes(start, end, now)
            .filter(t => (countAt(t) ?? 0) > 0)
            .map(t =>
              single(
                t,
                metricValue(seed, metric, svc.clusterName, svc.serviceName, t),
              ),
            ),
      });
    }
    out.push({
      Namespace: 'ECS/ContainerInsights',
      MetricName: 'RunningTaskCount',
      Dimensions: dims,
      unit: 'Count',
      samples: (start, end) =>
        minutes(start, end, now).flatMap(t => {
          const c = countAt(t);
          return c === undefined ? [] : [single(t, c)];
        }),
    });
  }
  // Cluster-level utilisation: the mean of its services' values.
  const clusters = new Set(services.map(s => s.clusterName));
  for (const cluster of clusters) {
    const members = services.filter(s => s.clusterName === cluster);
    for (const metric of ['CPUUtilization', 'MemoryUtilization'] as const) {
      out.push({
        Namespace: 'AWS/ECS',
        MetricName: metric,
        Dimensions: [{ Name: 'ClusterName', Value: cluster }],
        unit: 'Percent',
        samples: (start, end) =>
          minutes(start, end, now).flatMap(t => {
            const values = members
              .filter(
                s => (runningAt(s, Math.min(t + MINUTE - 1, now)) ?? 0) > 0,
              )
              .map(s => metricValue(seed, metric, cluster, s.serviceName, t));
            if (values.length === 0) return [];
            return [
              single(t, values.reduce((a, b) => a + b, 0) / values.length),
            ];
          }),
      });
    }
  }
  for (const m of Object.values(r.cloudwatch.custom)) {
    out.push({
      Namespace: m.Namespace,
      MetricName: m.MetricName,
      Dimensions: m.Dimensions,
      unit: m.unit ?? 'None',
      samples: (start, end) =>
        m.points
          .filter(p => p[0] >= start && p[0] < end)
          .map(p => ({
            t: p[0],
            sum: p[1],
            count: p[2],
            min: p[3],
            max: p[4],
          })),
    });
  }
  return out;
}

export function customKey(
  namespace: string,
  name: string,
  dims: Dimension[],
): string {
  const sorted = [...dims].sort((a, b) => {
    if (a.Name === b.Name) return 0;
    return a.Name < b.Name ? -1 : 1;
  });
  return `${namespace}|${name}|${sorted
    .map(d => `${d.Name}=${d.Value}`)
    .join(',')}`;
}

export function sameDimensions(a: Dimension[], b: Dimension[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(d => b.some(e => e.Name === d.Name && e.Value === d.Value));
}

/** The series of exactly this metric (all its dimensions, no more). */
export function findSeries(
  all: Series[],
  namespace: string,
  name: string,
  dims: Dimension[],
): Series | undefined {
  return all.find(
    s =>
      s.Namespace === namespace &&
      s.MetricName === name &&
      sameDimensions(s.Dimensions, dims),
  );
}

export type Statistic = string;

/** Computes a CloudWatch statistic over the samples of one period. */
export function statistic(
  stat: Statistic,
  samples: Sample[],
): number | undefined {
  if (samples.length === 0) return undefined;
  const sum = samples.reduce((n, s) => n + s.sum, 0);
  const count = samples.reduce((n, s) => n + s.count, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return count === 0 ? undefined : sum / count;
    case 'Minimum':
      return Math.min(...samples.map(s => s.min));
    case 'Maximum':
      return Math.max(...samples.map(s => s.max));
    default: {
      const p = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
      if (!p) return undefined;
      const values = samples.map(s => s.sum / s.count).sort((a, b) => a - b);
      const rank = Math.ceil((Number(p[1]) / 100) * values.length) - 1;
      return values[Math.min(values.length - 1, Math.max(0, rank))];
    }
  }
}

export function isValidStatistic(stat: unknown): boolean {
  return (
    typeof stat === 'string' &&
    (['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'].includes(stat) ||
      /^p(\d{1,2}(?:\.\d+)?|100)$/.test(stat))
  );
}
