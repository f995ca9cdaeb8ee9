/*
 * Alarm states driven by the sandbox's metrics and clock, through the real
 * SDK v3 client: thresholds crossed by PutMetricData values and by the
 * seeded ECS metrics, missing data, SetAlarmState until the next evaluation,
 * the admin API's clock, regions and the state file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  InvalidFormatFault,
  MetricAlarm,
  MissingRequiredParameterException,
  PutMetricAlarmCommand,
  PutMetricAlarmCommandInput,
  PutMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { adminFetch, useSandbox } from '../__testUtils__/sandbox';
import { alarmInput, failure, MINUTE } from '../__testUtils__/alarms';
import { metricValue } from '../simulation/metrics';
import { javaDouble, reasonDate } from '../simulation/alarmReason';
import { startSandbox } from '../index';

describe('CloudWatch alarm states', () => {
  const t = useSandbox();
  const cw = (region?: string) =>
    new CloudWatchClient(region ? { ...t.config, region } : t.config);
  const now = () => t.sb.clock.now();
  /** Moves the clock to the next whole minute: the next evaluation tick. */
  const toNextTick = () => t.sb.advance((MINUTE - (now() % MINUTE)) / 1000);
  const put = (name: string, o?: Partial<PutMetricAlarmCommandInput>) =>
    cw().send(new PutMetricAlarmCommand(alarmInput(name, o)));
  const alarm = async (name: string, client = cw()): Promise<MetricAlarm> => {
    const res = await client.send(
      new DescribeAlarmsCommand({ AlarmNames: [name] }),
    );
    expect(res.MetricAlarms).toHaveLength(1);
    return res.MetricAlarms![0];
  };
  const record = (metric: string, value: number, at: number) =>
    cw().send(
      new PutMetricDataCommand({
        Namespace: 'App/Alarms',
        MetricData: [
          { MetricName: metric, Value: value, Timestamp: new Date(at) },
        ],
      }),
    );

  beforeAll(async () => {
    const ecs = new ECSClient(t.config);
    await ecs.send(new CreateClusterCommand({ clusterName: 'c1' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'f',
        containerDefinitions: [{ name: 'app', image: 'x', memory: 128 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'c1',
        serviceName: 's1',
        taskDefinition: 'f',
        desiredCount: 2,
      }),
    );
    t.sb.advance(600);
  });

  it('goes to ALARM when a metric crosses the threshold, back to OK, then to INSUFFICIENT_DATA', async () => {
    toNextTick();
    const m0 = now();
    await put('latency', { MetricName: 'Latency' });
    await record('Latency', 91.2, m0);
    expect((await alarm('latency')).StateValue).toBe('INSUFFICIENT_DATA');

    toNextTick();
    const high = await alarm('latency');
    expect(high).toMatchObject({
      StateValue: 'ALARM',
      StateReason: `Threshold Crossed: 1 datapoint [91.2 (${reasonDate(
        m0,
      )})] was greater than the threshold (80.0).`,
      StateTransitionedTimestamp: new Date(m0 + MINUTE),
      StateUpdatedTimestamp: new Date(m0 + MINUTE),
    });
    expect(JSON.parse(high.StateReasonData!)).toMatchObject({
      version: '1.0',
      statistic: 'Maximum',
      period: 60,
      threshold: 80,
      recentDatapoints: [91.2],
      evaluatedDatapoints: [
        {
          timestamp: new Date(m0).toISOString().replace('Z', '+0000'),
          sampleCount: 1,
          value: 91.2,
        },
      ],
    });

    await record('Latency', 10, m0 + MINUTE);
    toNextTick();
    expect(await alarm('latency')).toMatchObject({
      StateValue: 'OK',
      StateReason: `Threshold Crossed: 1 datapoint [10.0 (${reasonDate(
        m0 + MINUTE,
      )})] was not greater than the threshold (80.0).`,
    });

    // The 10.0 stays in the evaluation range (3 periods) for two more ticks.
    t.sb.advance(5 * 60);
    expect(await alarm('latency')).toMatchObject({
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Insufficient Data: 1 datapoint was unknown.',
      StateTransitionedTimestamp: new Date(m0 + 5 * MINUTE),
    });
  });

  it('evaluates M out of N datapoints of the seeded ECS metrics', async () => {
    toNextTick();
    const tick = now() + MINUTE;
    // The three periods the next tick looks at, newest first.
    const periods = [1, 2, 3].map(k => tick - k * MINUTE);
    const values = periods.map(p =>
      metricValue(7, 'CPUUtilization', 'c1', 's1', p),
    );
    const threshold = [...values].sort((a, b) => b - a)[1];
    await put('ecs-cpu', {
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Dimensions: [
        { Name: 'ClusterName', Value: 'c1' },
        { Name: 'ServiceName', Value: 's1' },
      ],
      Statistic: 'Average',
      Unit: 'Percent',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: threshold,
    });
    toNextTick();
    const breaching = periods
      .map((p, i) => ({ p, v: values[i] }))
      .filter(x => x.v >= threshold)
      .map(x => `${javaDouble(x.v)} (${reasonDate(x.p)})`);
    expect(breaching).toHaveLength(2);
    expect(await alarm('ecs-cpu')).toMatchObject({
      StateValue: 'ALARM',
      StateReason: `Threshold Crossed: 2 out of the last 3 datapoints [${breaching.join(
        ', ',
      )}] were greater than or equal to the threshold (${javaDouble(
        threshold,
      )}) (minimum 2 datapoints for OK -> ALARM transition).`,
    });
  });

  it('treats missing data as the alarm says', async () => {
    const ghost = { MetricName: 'NeverReported', EvaluationPeriods: 2 };
    await put('ghost-breaching', { ...ghost, TreatMissingData: 'breaching' });
    await put('ghost-ignore', { ...ghost, TreatMissingData: 'ignore' });
    await put('ghost-missing', ghost);
    toNextTick();
    expect(await alarm('ghost-breaching')).toMatchObject({
      StateValue: 'ALARM',
      StateReason:
        'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].',
    });
    // Evaluated to the state it already had: AWS leaves the reason alone.
    for (const name of ['ghost-ignore', 'ghost-missing']) {
      expect(await alarm(name)).toMatchObject({
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
      });
    }
  });

  it('holds a SetAlarmState value until the next evaluation changes it', async () => {
    toNextTick();
    const m0 = now();
    await put('forced', { MetricName: 'Queue' });
    await record('Queue', 5, m0);
    await record('Queue', 6, m0 + MINUTE);
    // The tick that finds the queue OK is due but has not run yet: it runs
    // before the forced state, which then lasts until the tick after.
    toNextTick();
    await cw().send(
      new SetAlarmStateCommand({
        AlarmName: 'forced',
        StateValue: 'ALARM',
        StateReason: 'Testing the pager',
        StateReasonData: '{"source":"test"}',
      }),
    );
    const forced = {
      StateValue: 'ALARM',
      StateReason: 'Testing the pager',
      StateReasonData: '{"source":"test"}',
      StateUpdatedTimestamp: new Date(m0 + MINUTE),
    };
    expect(await alarm('forced')).toMatchObject(forced);
    t.sb.advance(59);
    expect(await alarm('forced')).toMatchObject(forced);
    t.sb.advance(1);
    expect(await alarm('forced')).toMatchObject({
      StateValue: 'OK',
      StateReason: `Threshold Crossed: 1 datapoint [6.0 (${reasonDate(
        m0 + MINUTE,
      )})] was not greater than the threshold (80.0).`,
      StateTransitionedTimestamp: new Date(m0 + 2 * MINUTE),
    });

    // A forced state the next evaluation agrees with keeps its reason.
    await record('Queue', 95, m0 + 2 * MINUTE);
    await cw().send(
      new SetAlarmStateCommand({
        AlarmName: 'forced',
        StateValue: 'ALARM',
        StateReason: 'Forced before the queue got there',
      }),
    );
    t.sb.advance(60);
    expect(await alarm('forced')).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'Forced before the queue got there',
      StateTransitionedTimestamp: new Date(m0 + 2 * MINUTE),
    });
  });

  it('rejects SetAlarmState for unknown alarms and invalid input', async () => {
    const set = (input: Record<string, unknown>) =>
      failure(
        cw().send(
          new SetAlarmStateCommand({
            AlarmName: 'forced',
            StateValue: 'OK',
            StateReason: 'x',
            ...input,
          } as any),
        ),
      );
    const unknown = await set({ AlarmName: 'no-such-alarm' });
    expect(unknown).toBeInstanceOf(ResourceNotFound);
    expect(unknown.$metadata.httpStatusCode).toBe(404);
    const invalid = await set({ StateValue: 'INVALID' });
    expect(invalid).toBeInstanceOf(ValidationException);
    expect(invalid.message).toBe(
      "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
    );
    expect(await set({ StateReasonData: '{not json' })).toBeInstanceOf(
      InvalidFormatFault,
    );
    expect(await set({ StateReason: undefined })).toBeInstanceOf(
      MissingRequiredParameterException,
    );
  });

  it('follows the clock driven through the admin API', async () => {
    toNextTick();
    const m0 = now();
    await put('admin-clock', { MetricName: 'Errors', Threshold: 0 });
    await record('Errors', 3, m0);
    const advanced = await adminFetch(t.sb, 'POST', 'clock/advance', {
      seconds: 150,
    });
    expect(advanced.json.epochMs).toBe(m0 + 150_000);
    expect(await alarm('admin-clock')).toMatchObject({
      StateValue: 'ALARM',
      StateTransitionedTimestamp: new Date(m0 + MINUTE),
    });
  });

  it('keeps alarms per region', async () => {
    await put('regional');
    const west = cw('eu-west-1');
    expect(
      (await west.send(new DescribeAlarmsCommand({ AlarmNames: ['regional'] })))
        .MetricAlarms,
    ).toEqual([]);
    await west.send(new PutMetricAlarmCommand(alarmInput('regional')));
    expect((await alarm('regional', west)).AlarmArn).toBe(
      'arn:aws:cloudwatch:eu-west-1:000000000000:alarm:regional',
    );
  });

  it('persists alarms in the state file, also next to one saved before alarms existed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-alarms-'));
    const file = path.join(dir, 'state.json');
    const start = () =>
      startSandbox({ port: 0, clock: 'manual', stateFile: file });
    let sb = await start();
    const client = () =>
      new CloudWatchClient({ ...t.config, endpoint: sb.url });
    await client().send(new PutMetricAlarmCommand(alarmInput('kept')));
    await client().send(
      new SetAlarmStateCommand({
        AlarmName: 'kept',
        StateValue: 'ALARM',
        StateReason: 'Saved',
      }),
    );
    await sb.close();

    sb = await start();
    expect(await alarm('kept', client())).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'Saved',
    });
    await sb.close();

    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete saved.accounts['000000000000']['us-east-1'].cloudwatch.alarms;
    fs.writeFileSync(file, JSON.stringify(saved));
    sb = await start();
    expect(
      (await client().send(new DescribeAlarmsCommand({}))).MetricAlarms,
    ).toEqual([]);
    await client().send(new PutMetricAlarmCommand(alarmInput('new')));
    expect((await alarm('new', client())).StateValue).toBe('INSUFFICIENT_DATA');
    await sb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
