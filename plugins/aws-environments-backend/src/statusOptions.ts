import { Config } from '@backstage/config';

/**
 * The `awsEnvironments.status` settings, with defaults applied.
 *
 * @public
 */
export interface StatusOptions {
  /** How long a status read from AWS is served from the cache. Default 30. */
  cacheTtlSeconds: number;
  /** How often the Environments tab refreshes itself. Default 60. */
  refreshIntervalSeconds: number;
  /** Budget for reading one environment, in milliseconds. Default 8000. */
  timeoutMs: number;
  /** Stopped tasks listed per environment. Default 20. */
  maxStoppedTasks: number;
  /** Log events returned per environment. Default 50. */
  logEventLimit: number;
}

/** An optional integer setting within bounds; the error names its key. */
export function readBoundedInteger(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${key} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function bounded(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  return readBoundedInteger(
    config,
    `awsEnvironments.status.${key}`,
    fallback,
    min,
    max,
  );
}

export function readStatusOptions(config: Config): StatusOptions {
  return {
    cacheTtlSeconds: bounded(config, 'cacheTtlSeconds', 30, 1, 3600),
    refreshIntervalSeconds: bounded(
      config,
      'refreshIntervalSeconds',
      60,
      5,
      3600,
    ),
    timeoutMs: bounded(config, 'timeoutMs', 8000, 500, 60_000),
    // ListTasks returns at most 100 per page and we read one page of them.
    maxStoppedTasks: bounded(config, 'maxStoppedTasks', 20, 1, 100),
    logEventLimit: bounded(config, 'logEventLimit', 50, 1, 200),
  };
}
