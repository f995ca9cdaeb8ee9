import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  METRIC_IDS,
  environmentResourceNames,
} from '@envplane/plugin-aws-environments-common';
import { mockClient } from 'aws-sdk-client-mock';
import { rangeWindow } from './ranges';
import { MAX_METRIC_QUERIES, readMetricsBatch } from './readMetricsBatch';

const cloudwatch = mockClient(CloudWatchClient);
const window = rangeWindow('1h', new Date('2026-12-03T12:00:30Z'));
const at = (minute: number) =>
  new Date(`2026-12-03T11:${String(minute).padStart(2, '0')}:00Z`);

function targets(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: `p${i}|test`,
    names: environmentResourceNames(`p${i}`, 'test'),
  }));
}

/** Answers every query with its own index as the value, in two pages. */
function answerInTwoPages() {
  cloudwatch
    .on(GetMetricDataCommand)
    .callsFake((input: GetMetricDataCommandInput) => {
      const queries = input.MetricDataQueries ?? [];
      const page = input.NextToken ? 1 : 0;
      return {
        MetricDataResults: queries.map(q => ({
          Id: q.Id,
          Timestamps: [at(10 + page)],
          Values: [Number(q.Id!.split('_')[0].slice(1)) + page / 10],
        })),
        NextToken: page === 0 ? 'second' : undefined,
      };
    });
}

describe('readMetricsBatch', () => {
  beforeEach(() => cloudwatch.reset());

  it('reads the service series of many environments in one request, each under its own key', async () => {
    answerInTwoPages();
    const result = await readMetricsBatch(
      new CloudWatchClient({ region: 'eu-west-1' }),
      targets(20),
      window,
    );
    // One request, paged by CloudWatch: two calls, the second with the token.
    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    const input = calls[0].args[0].input;
    expect(input.MetricDataQueries).toHaveLength(20 * 4);
    const ids = input.MetricDataQueries!.map(q => q.Id!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    expect(input.StartTime).toEqual(window.start);
    expect(calls[1].args[0].input.NextToken).toBe('second');

    expect(result.size).toBe(20);
    const series = result.get('p7|test')!;
    expect(series.map(s => s.id)).toEqual([
      METRIC_IDS.cpuAverage,
      METRIC_IDS.cpuMaximum,
      METRIC_IDS.memoryAverage,
      METRIC_IDS.runningTaskCount,
    ]);
    // Both pages' points, joined per query, in time order.
    expect(series[0].points).toEqual([
      { timestamp: at(10).toISOString(), value: 7 },
      { timestamp: at(11).toISOString(), value: 7.1 },
    ]);
    const cpu = input.MetricDataQueries!.find(q => q.Id === 'e7_cpuAverage');
    expect(cpu?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'ClusterName', Value: 'p7-test-ecs-cluster' },
      { Name: 'ServiceName', Value: 'p7-test-service' },
    ]);
  });

  it('splits at 500 queries a request, as GetMetricData allows', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const n = Math.floor(MAX_METRIC_QUERIES / 4) + 1;
    const result = await readMetricsBatch(
      new CloudWatchClient({ region: 'eu-west-1' }),
      targets(n),
      window,
    );
    const sizes = cloudwatch
      .commandCalls(GetMetricDataCommand)
      .map(c => c.args[0].input.MetricDataQueries!.length);
    expect(sizes).toEqual([MAX_METRIC_QUERIES, n * 4 - MAX_METRIC_QUERIES]);
    // An environment without data still gets its (empty) series.
    expect(
      result.get(`p${n - 1}|test`)?.every(s => s.points.length === 0),
    ).toBe(true);
  });

  it('fails as a whole when CloudWatch refuses', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
      );
    await expect(
      readMetricsBatch(
        new CloudWatchClient({ region: 'eu-west-1', maxAttempts: 1 }),
        targets(2),
        window,
      ),
    ).rejects.toThrow('Rate exceeded');
  });
});
