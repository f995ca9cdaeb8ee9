import { Config } from '@backstage/config';
import { readBoundedInteger } from '../statusOptions';
import { DEFAULT_DRIFT_READ_OPTIONS, DriftReadOptions } from './readDrift';

/** The `awsEnvironments.drift` settings, with defaults applied. */
export interface DriftOptions {
  /** How often every environment's stack is checked on schedule. */
  intervalHours: number;
  /** At most one check per environment per this, on demand or scheduled. */
  minIntervalMs: number;
  /** How a detection is waited for. */
  read: DriftReadOptions;
  /**
   * A check that has run longer than this died with its replica; another
   * may start. The wait for CloudFormation plus time for reading the results.
   */
  staleAfterMs: number;
}

export function readDriftOptions(config: Config): DriftOptions {
  const key = (name: string) => `awsEnvironments.drift.${name}`;
  const read = DEFAULT_DRIFT_READ_OPTIONS;
  return {
    intervalHours: readBoundedInteger(config, key('intervalHours'), 24, 1, 720),
    minIntervalMs:
      readBoundedInteger(config, key('minIntervalMinutes'), 5, 1, 1440) *
      60_000,
    read,
    staleAfterMs: read.maxWaitMs + 2 * 60_000,
  };
}
