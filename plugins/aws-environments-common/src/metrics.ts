/**
 * Ids of the CloudWatch series the backend queries and the health rules and
 * charts read, so both sides agree on names without string literals.
 *
 * @public
 */
export const METRIC_IDS = {
  cpuAverage: 'cpuAverage',
  cpuMaximum: 'cpuMaximum',
  memoryAverage: 'memoryAverage',
  runningTaskCount: 'runningTaskCount',
  requestCount: 'requestCount',
  target5xxCount: 'target5xxCount',
  targetResponseTime: 'targetResponseTime',
} as const;

/**
 * The id of one of the CloudWatch series in {@link METRIC_IDS}.
 *
 * @public
 */
export type MetricId = (typeof METRIC_IDS)[keyof typeof METRIC_IDS];
