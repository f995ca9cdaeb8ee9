/*
 * CloudWatch Logs (awsJson1_1, Logs_20140328.*). Groups and streams hold
 * their events in memory; the ECS simulator writes task output here the way
 * the awslogs driver does. Timestamps in this API are epoch milliseconds.
 * Groups are in logsGroups.ts, streams and their events in logsStreams.ts.
 */
import type { ServiceDefinition } from './types';
import { groupOperations } from './logsGroups';
import { streamOperations } from './logsStreams';

export const logs: ServiceDefinition = {
  name: 'logs',
  signingName: 'logs',
  protocol: 'json1.1',
  targetPrefix: 'Logs_20140328',
  operations: {
    ...groupOperations,
    ...streamOperations,
  },
};
