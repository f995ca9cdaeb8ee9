import { Config } from '@backstage/config';
import { readBoundedInteger } from '../statusOptions';

/** The `awsEnvironments.snapshots` settings, with defaults applied. */
export interface SnapshotOptions {
  /** AWS calls a second per account and region that refreshing may send. */
  callsPerSecond: number;
  /** How often a recently viewed environment is read. */
  hotIntervalMs: number;
  /** How often every other environment is read. */
  coldIntervalMs: number;
  /** How long after a view an environment counts as recently viewed. */
  hotForMs: number;
}

export function readSnapshotOptions(config: Config): SnapshotOptions {
  const key = (name: string) => `awsEnvironments.snapshots.${name}`;
  return {
    callsPerSecond: readBoundedInteger(
      config,
      key('callsPerSecond'),
      5,
      1,
      100,
    ),
    hotIntervalMs:
      readBoundedInteger(config, key('hotIntervalSeconds'), 60, 5, 3600) * 1000,
    coldIntervalMs:
      readBoundedInteger(config, key('coldIntervalMinutes'), 15, 1, 1440) *
      60_000,
    hotForMs:
      readBoundedInteger(config, key('hotForMinutes'), 15, 1, 1440) * 60_000,
  };
}
