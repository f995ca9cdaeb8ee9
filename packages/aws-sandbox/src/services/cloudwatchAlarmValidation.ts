/*
 * What CloudWatch checks in a PutMetricAlarm request before storing it: the
 * model's constraints first (one ValidationError listing every violation),
 * then the service's own rules for a single-metric, static-threshold alarm,
 * in the wording AWS uses where it is known.
 */
import { STATIC_THRESHOLD_OPERATORS } from '../simulation/alarmEvaluation';
import {
  combination,
  Constraints,
  invalidValue,
  validationError,
} from './cloudwatchErrors';

export const STATES = ['INSUFFICIENT_DATA', 'ALARM', 'OK'] as const;
// The orders AWS lists them in its validation messages.
const STATISTICS = ['Maximum', 'SampleCount', 'Sum', 'Minimum', 'Average'];
const OPERATORS = [
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];
export const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm', 'LogAlarm'];
const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];
const DAY_SECONDS = 86_400;

export function checkModel(input: any): void {
  const c = new Constraints()
    .length('alarmName', input.AlarmName, 1, 255)
    .length('alarmDescription', input.AlarmDescription, 0, 1024)
    .length('metricName', input.MetricName, 1, 255)
    .length('namespace', input.Namespace, 1, 255)
    .pattern('namespace', input.Namespace, /^[^:]/, '[^:].*')
    .oneOf('statistic', input.Statistic, STATISTICS)
    .oneOf('comparisonOperator', input.ComparisonOperator, OPERATORS)
    .oneOf('unit', input.Unit, UNITS)
    .atLeast('period', input.Period, 1)
    .atLeast('evaluationPeriods', input.EvaluationPeriods, 1)
    .atLeast('datapointsToAlarm', input.DatapointsToAlarm, 1)
    .length('treatMissingData', input.TreatMissingData, 1, 255)
    .length('dimensions', input.Dimensions, 0, 30);
  for (const list of ['OKActions', 'AlarmActions', 'InsufficientDataActions'])
    c.length(`${list[0].toLowerCase()}${list.slice(1)}`, input[list], 0, 5);
  (input.Dimensions ?? []).forEach((d: any, i: number) => {
    c.notNull(`dimensions.${i + 1}.member.name`, d?.Name)
      .length(`dimensions.${i + 1}.member.name`, d?.Name, 1, 255)
      .notNull(`dimensions.${i + 1}.member.value`, d?.Value)
      .length(`dimensions.${i + 1}.member.value`, d?.Value, 1, 1024);
  });
  c.check();
}

/** The checks CloudWatch makes beyond the model, for a single-metric alarm. */
export function checkSingleMetricAlarm(input: any): void {
  if (
    input.Metrics !== undefined ||
    input.ThresholdMetricId !== undefined ||
    input.EvaluationCriteria !== undefined ||
    (input.ComparisonOperator !== undefined &&
      !STATIC_THRESHOLD_OPERATORS.includes(input.ComparisonOperator))
  ) {
    throw validationError(
      'The AWS sandbox only simulates alarms on a single metric with a static threshold (MetricName, Namespace, Threshold); metric math, anomaly detection, Metrics Insights and PromQL alarms are not simulated.',
    );
  }
  for (const name of ['MetricName', 'Namespace']) {
    if (!input[name]) throw validationError(`${name} must not be null`);
  }
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined) {
    throw combination(
      'The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.',
    );
  }
  if (input.Statistic === undefined && input.ExtendedStatistic === undefined) {
    throw validationError('Statistic or ExtendedStatistic must not be null');
  }
  if (
    input.ExtendedStatistic !== undefined &&
    !/^p(\d{1,2}(\.\d+)?|100)$/.test(input.ExtendedStatistic)
  ) {
    // AWS also takes tm, wm, tc, ts, PR and IQM, which the sandbox's
    // statistics do not compute.
    throw invalidValue(
      `The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`,
    );
  }
  for (const name of [
    'Period',
    'EvaluationPeriods',
    'Threshold',
    'ComparisonOperator',
  ]) {
    if (input[name] === undefined || input[name] === null)
      throw validationError(`${name} must not be null`);
  }
  const { Period: period, EvaluationPeriods: periods } = input;
  if (
    !Number.isInteger(period) ||
    !([10, 20, 30].includes(period) || period % 60 === 0)
  ) {
    throw validationError('Period must be 10, 20, 30 or a multiple of 60');
  }
  if (!Number.isInteger(periods)) {
    throw validationError('EvaluationPeriods must be an integer');
  }
  // One day of data, seven for periods of an hour or more.
  const limit = period >= 3600 ? 7 * DAY_SECONDS : DAY_SECONDS;
  if (period * periods > limit) {
    throw validationError(
      `The evaluation range of an alarm (Period * EvaluationPeriods) must not exceed ${limit} seconds.`,
    );
  }
  if (
    input.DatapointsToAlarm !== undefined &&
    input.DatapointsToAlarm > periods
  ) {
    throw validationError(
      'DatapointsToAlarm must be less than or equal to EvaluationPeriods',
    );
  }
  if (typeof input.Threshold !== 'number' || !isFinite(input.Threshold)) {
    throw invalidValue(
      `The value ${input.Threshold} for parameter Threshold is not a valid number.`,
    );
  }
  if (
    input.TreatMissingData !== undefined &&
    !TREAT_MISSING.includes(input.TreatMissingData)
  ) {
    throw validationError(
      `The value ${
        input.TreatMissingData
      } is not supported for TreatMissingData parameter. Supported values are [${TREAT_MISSING.join(
        ', ',
      )}].`,
    );
  }
  const lowSample = input.EvaluateLowSampleCountPercentile;
  if (lowSample !== undefined && !['evaluate', 'ignore'].includes(lowSample)) {
    throw validationError(
      `Option ${lowSample} is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore.`,
    );
  }
}
