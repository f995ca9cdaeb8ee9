import { MetricSeries } from '../types';
import { HealthInput } from './types';

export function findSeries(
  input: HealthInput,
  id: string,
): MetricSeries | undefined {
  return input.metrics?.find(s => s.id === id);
}

/**
 * The values of the points whose period overlaps the last `minutes` before
 * `now`. With long periods (one hour for a 7-day range) that is the newest
 * point, which still says whether the recent past was above a limit.
 */
export function recentValues(
  series: MetricSeries | undefined,
  now: Date,
  minutes: number,
): number[] {
  if (!series) {
    return [];
  }
  const windowStart = now.getTime() - minutes * 60_000;
  return series.points
    .filter(p => {
      const start = Date.parse(p.timestamp);
      return !Number.isNaN(start) && start + series.period * 1000 > windowStart;
    })
    .map(p => p.value);
}

/** True when there is data for the window and every value satisfies `test`. */
export function sustained(
  values: number[],
  test: (value: number) => boolean,
): boolean {
  return values.length > 0 && values.every(test);
}
