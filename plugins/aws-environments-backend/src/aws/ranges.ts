import { StatusRange } from '@envplane/plugin-aws-environments-common';

/**
 * Period per range, chosen so every series stays at or under 1440 points
 * (1h: 60, 6h: 72, 24h: 288, 7d: 168) and the periods are ones CloudWatch
 * keeps for the age of the data (1-minute data is kept 15 days, but
 * 5-minute periods make day-long charts readable).
 */
const RANGES: Record<StatusRange, { seconds: number; periodSeconds: number }> =
  {
    '1h': { seconds: 3600, periodSeconds: 60 },
    '6h': { seconds: 6 * 3600, periodSeconds: 300 },
    '24h': { seconds: 24 * 3600, periodSeconds: 300 },
    '7d': { seconds: 7 * 24 * 3600, periodSeconds: 3600 },
  };

export interface RangeWindow {
  start: Date;
  end: Date;
  periodSeconds: number;
}

/**
 * The time window of a range ending at `now`. The start is aligned to the
 * period so that CloudWatch buckets line up between refreshes.
 */
export function rangeWindow(range: StatusRange, now: Date): RangeWindow {
  const { seconds, periodSeconds } = RANGES[range];
  const periodMs = periodSeconds * 1000;
  const start =
    Math.floor((now.getTime() - seconds * 1000) / periodMs) * periodMs;
  return { start: new Date(start), end: now, periodSeconds };
}
