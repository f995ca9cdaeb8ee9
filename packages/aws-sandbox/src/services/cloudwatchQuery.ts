/*
 * CloudWatch over awsQuery (Version 2010-08-01), which the AWS CLI and SDK v2
 * still use: the shapes of the operations the sandbox serves, from the
 * service model (botocore's cloudwatch/2010-08-01/service-2.json), so that
 * the JSON-protocol handlers get the same typed input either way.
 */
import { awsQueryCodec } from '../protocol/awsQuery';
import { list, map, Shape, struct } from '../protocol/queryShapes';

const dimension = struct({ Name: 'string', Value: 'string' });
const dimensions = list(dimension);
const metric = struct({
  Namespace: 'string',
  MetricName: 'string',
  Dimensions: dimensions,
});

const metricDataQuery = struct({
  Id: 'string',
  MetricStat: struct({
    Metric: metric,
    Period: 'number',
    Stat: 'string',
    Unit: 'string',
  }),
  Expression: 'string',
  Label: 'string',
  ReturnData: 'boolean',
  Period: 'number',
  AccountId: 'string',
});

const names = list('string');

const metricDatum: Shape = struct({
  MetricName: 'string',
  Dimensions: dimensions,
  Timestamp: 'timestamp',
  Value: 'number',
  StatisticValues: struct({
    SampleCount: 'number',
    Sum: 'number',
    Minimum: 'number',
    Maximum: 'number',
  }),
  Values: list('number'),
  Counts: list('number'),
  Unit: 'string',
  StorageResolution: 'number',
});

export const cloudwatchQuery = awsQueryCodec(
  '2010-08-01',
  'http://monitoring.amazonaws.com/doc/2010-08-01/',
  {
    GetMetricData: {
      input: struct({
        MetricDataQueries: list(metricDataQuery),
        StartTime: 'timestamp',
        EndTime: 'timestamp',
        NextToken: 'string',
        ScanBy: 'string',
        MaxDatapoints: 'number',
        LabelOptions: struct({ Timezone: 'string' }),
      }),
    },
    GetMetricStatistics: {
      input: struct({
        Namespace: 'string',
        MetricName: 'string',
        Dimensions: dimensions,
        StartTime: 'timestamp',
        EndTime: 'timestamp',
        Period: 'number',
        Statistics: list('string'),
        ExtendedStatistics: list('string'),
        Unit: 'string',
      }),
      // Datapoint.ExtendedStatistics is a map (DatapointValueMap).
      output: struct({
        Datapoints: list(struct({ ExtendedStatistics: map('number') })),
      }),
    },
    ListMetrics: {
      input: struct({
        Namespace: 'string',
        MetricName: 'string',
        Dimensions: list(struct({ Name: 'string', Value: 'string' })),
        NextToken: 'string',
        RecentlyActive: 'string',
        IncludeLinkedAccounts: 'boolean',
        OwningAccount: 'string',
      }),
    },
    PutMetricData: {
      input: struct({
        Namespace: 'string',
        MetricData: list(metricDatum),
        EntityMetricData: list(
          struct({
            Entity: struct({
              KeyAttributes: map('string'),
              Attributes: map('string'),
            }),
            MetricData: list(metricDatum),
          }),
        ),
        StrictEntityValidation: 'boolean',
      }),
      // PutMetricData has no output shape: only ResponseMetadata comes back.
      output: null,
    },
    PutMetricAlarm: {
      input: struct({
        AlarmName: 'string',
        AlarmDescription: 'string',
        ActionsEnabled: 'boolean',
        OKActions: names,
        AlarmActions: names,
        InsufficientDataActions: names,
        MetricName: 'string',
        Namespace: 'string',
        Statistic: 'string',
        ExtendedStatistic: 'string',
        Dimensions: dimensions,
        Period: 'number',
        Unit: 'string',
        EvaluationPeriods: 'number',
        DatapointsToAlarm: 'number',
        Threshold: 'number',
        ComparisonOperator: 'string',
        TreatMissingData: 'string',
        EvaluateLowSampleCountPercentile: 'string',
        Metrics: list(metricDataQuery),
        Tags: list(struct({ Key: 'string', Value: 'string' })),
        ThresholdMetricId: 'string',
        // Unions the sandbox refuses; only their presence matters.
        EvaluationWindow: struct({}),
        EvaluationCriteria: struct({}),
        EvaluationInterval: 'number',
      }),
      output: null,
    },
    DescribeAlarms: {
      input: struct({
        AlarmNames: names,
        AlarmNamePrefix: 'string',
        AlarmTypes: names,
        ChildrenOfAlarmName: 'string',
        ParentsOfAlarmName: 'string',
        StateValue: 'string',
        ActionPrefix: 'string',
        MaxRecords: 'number',
        NextToken: 'string',
      }),
    },
    DeleteAlarms: {
      input: struct({ AlarmNames: names }),
      output: null,
    },
    SetAlarmState: {
      input: struct({
        AlarmName: 'string',
        StateValue: 'string',
        StateReason: 'string',
        StateReasonData: 'string',
      }),
      output: null,
    },
  },
);
