/*
 * CloudWatch metrics. The current SDK speaks awsJson1_0 to it
 * (GraniteServiceVersion20100801.*, x-amzn-query-mode: true, timestamps as
 * epoch seconds) and reads error codes from x-amzn-query-error, so errors
 * carry both the JSON shape name and the query code. The AWS CLI and SDK v2
 * speak awsQuery (cloudwatchQuery.ts); the same handlers answer both.
 * GetMetricData is in cloudwatchMetricData.ts, the other metric operations in
 * cloudwatchMetrics.ts and metric alarms in cloudwatchAlarms.ts.
 */
import type { ServiceDefinition } from './types';
import { cloudwatchQuery } from './cloudwatchQuery';
import { getMetricData } from './cloudwatchMetricData';
import { metricOperations } from './cloudwatchMetrics';
import { alarmOperations } from './cloudwatchAlarms';

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
    ...metricOperations,
  },
};
