/*
 * Shared pieces of the CloudWatch alarm tests.
 */
import type { PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';

export const MINUTE = 60_000;

/** A valid single-metric alarm on App/Alarms Latency, with overrides. */
export function alarmInput(
  name: string,
  overrides: Partial<PutMetricAlarmCommandInput> = {},
): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    Namespace: 'App/Alarms',
    MetricName: 'Latency',
    Statistic: 'Maximum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold',
    ...overrides,
  };
}

/** The error a call fails with; fails the test if it succeeds. */
export async function failure(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}
