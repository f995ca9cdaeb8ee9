/*
 * Part of the AWS CLI contract: CloudWatch in the CLI's query protocol:
 * list-metrics, get-metric-statistics, get-metric-data and alarms on the
 * stack's service. Not a Jest file: ../../awsCli.contract.test.ts registers
 * the parts, in order, on its one sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, ISO_TIME, SERVICE_DIMENSIONS } from './context';

/** Registers this part's tests, in order. */
export function cloudwatchTests(cli: AwsCli) {
  const { ok, fails } = cli;

  it('CloudWatch answers the CLI’s query protocol: list-metrics, get-metric-statistics, get-metric-data, alarms', async () => {
    // Whole five minutes of simulated time (the clock runs ahead of wall
    // time), in epoch seconds as the CLI takes them.
    const end = String(Math.floor(cli.sb.clock.now() / 300_000) * 300);
    const start = String(Number(end) - 1800);
    const [metrics, stats, data] = await Promise.all([
      ok('cloudwatch', 'list-metrics', '--namespace', 'AWS/ECS'),
      ok(
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'AWS/ECS',
        '--metric-name',
        'CPUUtilization',
        '--dimensions',
        ...SERVICE_DIMENSIONS.map(d => `Name=${d.Name},Value=${d.Value}`),
        '--start-time',
        start,
        '--end-time',
        end,
        '--period',
        '300',
        '--statistics',
        'Average',
        'Maximum',
      ),
      ok(
        'cloudwatch',
        'get-metric-data',
        '--start-time',
        start,
        '--end-time',
        end,
        '--metric-data-queries',
        JSON.stringify([
          {
            Id: 'cpu',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ECS',
                MetricName: 'CPUUtilization',
                Dimensions: SERVICE_DIMENSIONS,
              },
              Period: 300,
              Stat: 'Average',
            },
          },
          { Id: 'half', Expression: 'cpu / 2', Label: 'Half CPU' },
        ]),
      ),
    ]);
    expect(metrics.Metrics).toContainEqual({
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Dimensions: SERVICE_DIMENSIONS,
    });

    expect(stats.Label).toBe('CPUUtilization');
    expect(stats.Datapoints).toHaveLength(6);
    for (const p of stats.Datapoints) {
      expect(p).toEqual({
        Timestamp: expect.stringMatching(ISO_TIME),
        Average: expect.any(Number),
        Maximum: expect.any(Number),
        Unit: 'Percent',
      });
      expect(p.Maximum).toBeGreaterThanOrEqual(p.Average);
    }

    const [cpu, half] = data.MetricDataResults;
    expect(cpu).toMatchObject({
      Id: 'cpu',
      Label: 'CPUUtilization',
      StatusCode: 'Complete',
    });
    expect(cpu.Timestamps).toHaveLength(6);
    // Newest first (GetMetricData's default ScanBy, TimestampDescending),
    // and the same averages GetMetricStatistics returned.
    const averages = [...stats.Datapoints]
      .sort((a, b) => Date.parse(b.Timestamp) - Date.parse(a.Timestamp))
      .map(p => p.Average);
    expect(Date.parse(cpu.Timestamps[0])).toBeGreaterThan(
      Date.parse(cpu.Timestamps[5]),
    );
    cpu.Values.forEach((v: number, i: number) =>
      expect(v).toBeCloseTo(averages[i], 6),
    );
    expect(half).toMatchObject({
      Id: 'half',
      Label: 'Half CPU',
      StatusCode: 'Complete',
    });
    expect(half.Values[0]).toBeCloseTo(cpu.Values[0] / 2, 6);

    const [put] = await Promise.all([
      ok(
        'cloudwatch',
        'put-metric-alarm',
        '--alarm-name',
        'web-cpu-high',
        '--namespace',
        'AWS/ECS',
        '--metric-name',
        'CPUUtilization',
        '--dimensions',
        ...SERVICE_DIMENSIONS.map(d => `Name=${d.Name},Value=${d.Value}`),
        '--statistic',
        'Average',
        '--period',
        '60',
        '--evaluation-periods',
        '3',
        '--threshold',
        '90',
        '--comparison-operator',
        'GreaterThanThreshold',
      ),
      fails(
        'ResourceNotFound',
        'cloudwatch',
        'set-alarm-state',
        '--alarm-name',
        'no-such-alarm',
        '--state-value',
        'OK',
        '--state-reason',
        'test',
      ),
    ]);
    expect(put).toBeNull();
    const alarms = await ok(
      'cloudwatch',
      'describe-alarms',
      '--alarm-names',
      'web-cpu-high',
    );
    expect(alarms.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: 'web-cpu-high',
        AlarmArn:
          'arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-cpu-high',
        StateValue: expect.stringMatching(/^(INSUFFICIENT_DATA|OK|ALARM)$/),
        StateUpdatedTimestamp: expect.stringMatching(ISO_TIME),
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/ECS',
        Statistic: 'Average',
        Dimensions: SERVICE_DIMENSIONS,
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    ]);
  });
}
