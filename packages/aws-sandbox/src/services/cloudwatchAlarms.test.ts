/*
 * Contract tests for CloudWatch metric alarms with the real SDK v3 client:
 * PutMetricAlarm, DescribeAlarms (filters, paging), DeleteAlarms and the
 * errors AWS answers invalid requests with. State changes driven by metrics
 * are in cloudwatchAlarmState.test.ts.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsCommandInput,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  MissingRequiredParameterException,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import { useSandbox } from '../__testUtils__/sandbox';
import { alarmInput, failure } from '../__testUtils__/alarms';

const ARN_PREFIX = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:ops';

describe('CloudWatch metric alarms', () => {
  const t = useSandbox();
  const cw = () => new CloudWatchClient(t.config);
  const put = (name: string, o?: Partial<PutMetricAlarmCommandInput>) =>
    cw().send(new PutMetricAlarmCommand(alarmInput(name, o)));
  const names = async (input: DescribeAlarmsCommandInput) =>
    (await cw().send(new DescribeAlarmsCommand(input))).MetricAlarms!.map(
      a => a.AlarmName,
    );

  it('creates an alarm in INSUFFICIENT_DATA and describes it as AWS does', async () => {
    const created = new Date(t.sb.clock.now());
    await put('create-full', {
      AlarmDescription: 'Checkout latency',
      Dimensions: [{ Name: 'Shop', Value: 'north' }],
      AlarmActions: [TOPIC],
      Unit: 'Milliseconds',
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      ActionsEnabled: false,
    });
    await put('create-minimal');
    const res = await cw().send(
      new DescribeAlarmsCommand({
        AlarmNames: ['create-full', 'create-minimal'],
      }),
    );
    expect(res.CompositeAlarms).toEqual([]);
    expect(res.NextToken).toBeUndefined();
    const [full, minimal] = res.MetricAlarms!;
    expect(full).toEqual({
      AlarmName: 'create-full',
      AlarmArn: `${ARN_PREFIX}create-full`,
      AlarmDescription: 'Checkout latency',
      AlarmConfigurationUpdatedTimestamp: created,
      ActionsEnabled: false,
      OKActions: [],
      AlarmActions: [TOPIC],
      InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: created,
      MetricName: 'Latency',
      Namespace: 'App/Alarms',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'Shop', Value: 'north' }],
      Period: 60,
      Unit: 'Milliseconds',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      StateTransitionedTimestamp: created,
    });
    // What was not given is not invented.
    expect(Object.keys(minimal).sort()).toEqual(
      [
        'AlarmName',
        'AlarmArn',
        'AlarmConfigurationUpdatedTimestamp',
        'ActionsEnabled',
        'OKActions',
        'AlarmActions',
        'InsufficientDataActions',
        'StateValue',
        'StateReason',
        'StateUpdatedTimestamp',
        'MetricName',
        'Namespace',
        'Statistic',
        'Dimensions',
        'Period',
        'EvaluationPeriods',
        'Threshold',
        'ComparisonOperator',
        'StateTransitionedTimestamp',
      ].sort(),
    );
    expect(minimal.ActionsEnabled).toBe(true);
  });

  it('replaces the configuration of an existing alarm but keeps its state', async () => {
    await put('replace-me');
    await cw().send(
      new SetAlarmStateCommand({
        AlarmName: 'replace-me',
        StateValue: 'ALARM',
        StateReason: 'Set by the test',
      }),
    );
    const stateTime = t.sb.clock.now();
    t.sb.advance(1);
    await put('replace-me', { Threshold: 95, AlarmDescription: 'now 95' });
    const [alarm] = (
      await cw().send(new DescribeAlarmsCommand({ AlarmNames: ['replace-me'] }))
    ).MetricAlarms!;
    expect(alarm).toMatchObject({
      Threshold: 95,
      AlarmDescription: 'now 95',
      StateValue: 'ALARM',
      StateReason: 'Set by the test',
      StateUpdatedTimestamp: new Date(stateTime),
      AlarmConfigurationUpdatedTimestamp: new Date(stateTime + 1000),
    });
  });

  it('filters by names, name prefix, state, action prefix and type', async () => {
    await put('filter-a', { AlarmActions: [TOPIC] });
    await put('filter-b', { OKActions: [`${TOPIC}-recovered`] });
    await put('filter-c');
    await cw().send(
      new SetAlarmStateCommand({
        AlarmName: 'filter-b',
        StateValue: 'ALARM',
        StateReason: 'test',
      }),
    );
    expect(await names({ AlarmNamePrefix: 'filter-' })).toEqual([
      'filter-a',
      'filter-b',
      'filter-c',
    ]);
    expect(
      await names({ AlarmNamePrefix: 'filter-', StateValue: 'ALARM' }),
    ).toEqual(['filter-b']);
    expect(await names({ AlarmNames: ['filter-c', 'no-such-alarm'] })).toEqual([
      'filter-c',
    ]);
    expect(
      await names({ AlarmNamePrefix: 'filter-', ActionPrefix: TOPIC }),
    ).toEqual(['filter-a', 'filter-b']);
    expect(
      await names({ AlarmNamePrefix: 'filter-', AlarmTypes: ['MetricAlarm'] }),
    ).toHaveLength(3);
    const composite = await cw().send(
      new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }),
    );
    expect(composite.MetricAlarms).toEqual([]);
    expect(composite.CompositeAlarms).toEqual([]);
    // Only composite alarms have parents, and the sandbox has none.
    expect(await names({ ParentsOfAlarmName: 'filter-a' })).toEqual([]);
  });

  it('pages through alarms in name order, also while they change state', async () => {
    const all = ['page-00', 'page-01', 'page-02', 'page-03', 'page-04'];
    for (const name of [...all].reverse()) await put(name);
    const first = await cw().send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2 }),
    );
    expect(first.MetricAlarms!.map(a => a.AlarmName)).toEqual(all.slice(0, 2));
    const second = await cw().send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: 'page-',
        MaxRecords: 2,
        NextToken: first.NextToken,
      }),
    );
    expect(second.MetricAlarms!.map(a => a.AlarmName)).toEqual(all.slice(2, 4));
    const collected: string[] = [];
    for await (const page of paginateDescribeAlarms(
      { client: cw(), pageSize: 2 },
      { AlarmNamePrefix: 'page-' },
    )) {
      collected.push(...page.MetricAlarms!.map(a => a.AlarmName!));
    }
    expect(collected).toEqual(all);

    // An alarm already returned leaves the filter between pages; the next
    // page still starts right after the last one returned.
    const waiting = {
      AlarmNamePrefix: 'page-',
      StateValue: 'INSUFFICIENT_DATA' as const,
      MaxRecords: 2,
    };
    const before = await cw().send(new DescribeAlarmsCommand(waiting));
    await cw().send(
      new SetAlarmStateCommand({
        AlarmName: 'page-00',
        StateValue: 'OK',
        StateReason: 'test',
      }),
    );
    expect(await names({ ...waiting, NextToken: before.NextToken })).toEqual([
      'page-02',
      'page-03',
    ]);

    const foreign = await failure(
      cw().send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: 'filter-',
          NextToken: first.NextToken,
        }),
      ),
    );
    expect(foreign).toBeInstanceOf(InvalidNextToken);
    await expect(
      cw().send(new DescribeAlarmsCommand({ NextToken: 'bm9wZQ==' })),
    ).rejects.toBeInstanceOf(InvalidNextToken);
    const tooMany = await failure(
      cw().send(new DescribeAlarmsCommand({ MaxRecords: 101 })),
    );
    expect(tooMany).toBeInstanceOf(ValidationException);
    expect(tooMany.Code).toBe('ValidationError');
    expect(tooMany.message).toBe(
      "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it('deletes alarms and skips names that match none', async () => {
    await put('delete-a');
    await put('delete-b');
    await cw().send(
      new DeleteAlarmsCommand({ AlarmNames: ['delete-a', 'no-such-alarm'] }),
    );
    expect(await names({ AlarmNamePrefix: 'delete-' })).toEqual(['delete-b']);
    const tooMany = await failure(
      cw().send(
        new DeleteAlarmsCommand({
          AlarmNames: Array.from({ length: 101 }, (_, i) => `x${i}`),
        }),
      ),
    );
    expect(tooMany).toBeInstanceOf(ValidationException);
    expect(tooMany.message).toMatch(
      /^1 validation error detected: Value '\[x0, x1, .*, x100\]' at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    );
    expect(await names({ AlarmNamePrefix: 'delete-' })).toEqual(['delete-b']);
  });

  it('answers invalid alarms with the errors AWS uses', async () => {
    const error = (o: Partial<PutMetricAlarmCommandInput>) =>
      failure(put('invalid', o));
    const missingName = await failure(
      cw().send(
        new PutMetricAlarmCommand({
          ...alarmInput('x'),
          AlarmName: undefined,
        } as unknown as PutMetricAlarmCommandInput),
      ),
    );
    expect(missingName).toBeInstanceOf(MissingRequiredParameterException);
    expect(missingName.message).toBe('The parameter AlarmName is required.');

    const validation: [Partial<PutMetricAlarmCommandInput>, string][] = [
      [
        { ComparisonOperator: 'Bigger' as any },
        "1 validation error detected: Value 'Bigger' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, GreaterThanOrEqualToThreshold, LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]",
      ],
      [
        { Statistic: 'Mean' as any, EvaluationPeriods: 0 },
        "2 validation errors detected: Value 'Mean' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]; Value '0' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ],
      [{ MetricName: undefined }, 'MetricName must not be null'],
      [{ Period: 45 }, 'Period must be 10, 20, 30 or a multiple of 60'],
      [
        { EvaluationPeriods: 2, DatapointsToAlarm: 3 },
        'DatapointsToAlarm must be less than or equal to EvaluationPeriods',
      ],
      [
        { TreatMissingData: 'maybe' },
        'The value maybe is not supported for TreatMissingData parameter. Supported values are [breaching, notBreaching, ignore, missing].',
      ],
      [
        { EvaluationPeriods: 1441 },
        'The evaluation range of an alarm (Period * EvaluationPeriods) must not exceed 86400 seconds.',
      ],
      [{ Threshold: undefined }, 'Threshold must not be null'],
    ];
    for (const [overrides, message] of validation) {
      const e = await error(overrides);
      expect({ name: e.name, message: e.message }).toEqual({
        name: 'ValidationException',
        message,
      });
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
    expect(
      await error({ ExtendedStatistic: 'p99', Statistic: 'Average' }),
    ).toBeInstanceOf(InvalidParameterCombinationException);
    const trimmedMean = await error({
      Statistic: undefined,
      ExtendedStatistic: 'tm90',
    });
    expect(trimmedMean).toBeInstanceOf(InvalidParameterValueException);
    expect(trimmedMean.message).toBe(
      'The value tm90 for parameter ExtendedStatistic is not supported.',
    );
    const math = await error({
      MetricName: undefined,
      Namespace: undefined,
      Statistic: undefined,
      Period: undefined,
      Metrics: [{ Id: 'e1', Expression: 'm1 * 2', ReturnData: true }],
    });
    expect(math).toBeInstanceOf(ValidationException);
    expect(math.message).toMatch(/metric math.* not simulated/);

    // Nothing invalid was stored.
    expect(await names({ AlarmNames: ['invalid'] })).toEqual([]);
    expect(
      await failure(
        cw().send(
          new DescribeAlarmsCommand({
            AlarmNames: ['a'],
            AlarmNamePrefix: 'a',
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterCombinationException);
    const badState = await failure(
      cw().send(new DescribeAlarmsCommand({ StateValue: 'RED' as any })),
    );
    expect(badState.message).toBe(
      "1 validation error detected: Value 'RED' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
    );
  });
});
