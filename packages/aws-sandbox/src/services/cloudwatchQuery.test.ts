/*
 * CloudWatch over awsQuery, as the AWS CLI and SDK v2 call it: hand-built
 * forms (members as in botocore's cloudwatch/2010-08-01 model: lists as
 * `.member.N`, maps as `.entry.N.key/value`) and XML answers with the
 * `<Action>Result` wrapper, checked against what the JSON protocol returns.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { useSandbox } from '../__testUtils__/sandbox';
import { all, one, queryRequest, text } from '../__testUtils__/query';

const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const V = { Version: '2010-08-01' };

describe('CloudWatch over the query protocol', () => {
  const t = useSandbox();
  const cw = (params: Record<string, string | number | boolean>) =>
    queryRequest(t.sb, 'monitoring', { ...V, ...params });

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

  it('answers ListMetrics with member lists, like the JSON protocol', async () => {
    const res = await cw({
      Action: 'ListMetrics',
      Namespace: 'AWS/ECS',
      'Dimensions.member.1.Name': 'ServiceName',
      'Dimensions.member.1.Value': 's1',
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/xml/);
    expect(res.xml.name).toBe('ListMetricsResponse');
    expect(res.xml.attrs.xmlns).toBe(XMLNS);
    expect(text(res.xml, 'ResponseMetadata', 'RequestId')).toMatch(/^[\w-]+$/);
    const metrics = all(res.xml, 'ListMetricsResult', 'Metrics', 'member').map(
      m => ({
        Namespace: text(m, 'Namespace'),
        MetricName: text(m, 'MetricName'),
        Dimensions: all(m, 'Dimensions', 'member').map(d => ({
          Name: text(d, 'Name'),
          Value: text(d, 'Value'),
        })),
      }),
    );
    const json = await new CloudWatchClient(t.config).send(
      new ListMetricsCommand({
        Namespace: 'AWS/ECS',
        Dimensions: [{ Name: 'ServiceName', Value: 's1' }],
      }),
    );
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics).toEqual(json.Metrics);
  });

  it('answers GetMetricData with typed queries, paging and metric math', async () => {
    const end = new Date(t.sb.clock.now());
    const start = new Date(end.getTime() - 30 * 60_000);
    const stat = 'MetricDataQueries.member.1';
    const res = await cw({
      Action: 'GetMetricData',
      [`${stat}.Id`]: 'cpu',
      [`${stat}.MetricStat.Metric.Namespace`]: 'AWS/ECS',
      [`${stat}.MetricStat.Metric.MetricName`]: 'CPUUtilization',
      [`${stat}.MetricStat.Metric.Dimensions.member.1.Name`]: 'ClusterName',
      [`${stat}.MetricStat.Metric.Dimensions.member.1.Value`]: 'c1',
      [`${stat}.MetricStat.Metric.Dimensions.member.2.Name`]: 'ServiceName',
      [`${stat}.MetricStat.Metric.Dimensions.member.2.Value`]: 's1',
      [`${stat}.MetricStat.Period`]: 60,
      [`${stat}.MetricStat.Stat`]: 'Average',
      [`${stat}.ReturnData`]: false,
      'MetricDataQueries.member.2.Id': 'double',
      'MetricDataQueries.member.2.Expression': 'cpu * 2',
      StartTime: start.toISOString(),
      EndTime: end.toISOString(),
      ScanBy: 'TimestampAscending',
      MaxDatapoints: 20,
    });
    expect(res.status).toBe(200);
    const result = one(res.xml, 'GetMetricDataResult');
    // ReturnData=false arrived as a boolean: only the expression comes back.
    const [series, ...rest] = all(result, 'MetricDataResults', 'member');
    expect(rest).toHaveLength(0);
    expect(text(series, 'Id')).toBe('double');
    expect(text(series, 'StatusCode')).toBe('PartialData');
    const stamps = all(series, 'Timestamps', 'member').map(n => n.text);
    const values = all(series, 'Values', 'member').map(n => Number(n.text));
    // MaxDatapoints=20 arrived as a number and cut the page.
    expect(stamps).toHaveLength(20);
    expect(stamps[0]).toBe(start.toISOString());
    expect(text(result, 'NextToken')).not.toBe('');

    const json = await new CloudWatchClient(t.config).send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ECS',
                MetricName: 'CPUUtilization',
                Dimensions: [
                  { Name: 'ClusterName', Value: 'c1' },
                  { Name: 'ServiceName', Value: 's1' },
                ],
              },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
      }),
    );
    const cpu = json.MetricDataResults![0];
    expect(stamps).toEqual(
      cpu.Timestamps!.slice(0, 20).map(d => d.toISOString()),
    );
    expect(values).toEqual(cpu.Values!.slice(0, 20).map(v => v * 2));
  });

  it('answers GetMetricStatistics with ExtendedStatistics as a map', async () => {
    const end = new Date(t.sb.clock.now());
    const res = await cw({
      Action: 'GetMetricStatistics',
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      'Dimensions.member.1.Name': 'ClusterName',
      'Dimensions.member.1.Value': 'c1',
      'Dimensions.member.2.Name': 'ServiceName',
      'Dimensions.member.2.Value': 's1',
      StartTime: new Date(end.getTime() - 10 * 60_000).toISOString(),
      EndTime: end.toISOString(),
      Period: 300,
      'Statistics.member.1': 'Maximum',
      'ExtendedStatistics.member.1': 'p90',
    });
    expect(res.status).toBe(200);
    const result = one(res.xml, 'GetMetricStatisticsResult');
    expect(text(result, 'Label')).toBe('CPUUtilization');
    const points = all(result, 'Datapoints', 'member');
    expect(points.length).toBeGreaterThanOrEqual(2);
    for (const p of points) {
      expect(text(p, 'Timestamp')).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      expect(text(p, 'Unit')).toBe('Percent');
      const max = Number(text(p, 'Maximum'));
      const entry = one(p, 'ExtendedStatistics', 'entry');
      expect(text(entry, 'key')).toBe('p90');
      const p90 = Number(text(entry, 'value'));
      expect(p90).toBeGreaterThan(0);
      expect(p90).toBeLessThanOrEqual(max);
    }
  });

  it('takes PutMetricData with no result element; the JSON side sees it', async () => {
    const res = await cw({
      Action: 'PutMetricData',
      Namespace: 'App/Query',
      'MetricData.member.1.MetricName': 'Orders',
      'MetricData.member.1.Dimensions.member.1.Name': 'Shop',
      'MetricData.member.1.Dimensions.member.1.Value': 'north',
      'MetricData.member.1.Value': '12.5',
      'MetricData.member.1.Unit': 'Count',
      'MetricData.member.2.MetricName': 'Latency',
      'MetricData.member.2.StatisticValues.SampleCount': 4,
      'MetricData.member.2.StatisticValues.Sum': 100,
      'MetricData.member.2.StatisticValues.Minimum': 10,
      'MetricData.member.2.StatisticValues.Maximum': 40,
    });
    expect(res.status).toBe(200);
    expect(res.xml.name).toBe('PutMetricDataResponse');
    expect(res.xml.children.map(c => c.name)).toEqual(['ResponseMetadata']);

    const listed = await new CloudWatchClient(t.config).send(
      new ListMetricsCommand({ Namespace: 'App/Query' }),
    );
    expect(listed.Metrics).toEqual(
      expect.arrayContaining([
        {
          Namespace: 'App/Query',
          MetricName: 'Orders',
          Dimensions: [{ Name: 'Shop', Value: 'north' }],
        },
        { Namespace: 'App/Query', MetricName: 'Latency', Dimensions: [] },
      ]),
    );
    const stats = await cw({
      Action: 'GetMetricStatistics',
      Namespace: 'App/Query',
      MetricName: 'Latency',
      StartTime: new Date(t.sb.clock.now() - 60_000).toISOString(),
      EndTime: new Date(t.sb.clock.now() + 60_000).toISOString(),
      Period: 60,
      'Statistics.member.1': 'Average',
      'Statistics.member.2': 'SampleCount',
    });
    const point = one(stats.xml, 'GetMetricStatisticsResult', 'Datapoints');
    expect(Number(text(point, 'member', 'Average'))).toBe(25);
    expect(Number(text(point, 'member', 'SampleCount'))).toBe(4);
  });

  it('answers errors as <ErrorResponse> with the query error codes', async () => {
    const aws = await cw({
      Action: 'PutMetricData',
      Namespace: 'AWS/ECS',
      'MetricData.member.1.MetricName': 'X',
      'MetricData.member.1.Value': 1,
    });
    expect(aws.status).toBe(400);
    expect(aws.xml.name).toBe('ErrorResponse');
    expect(aws.xml.attrs.xmlns).toBe(XMLNS);
    expect(text(aws.xml, 'Error', 'Type')).toBe('Sender');
    expect(text(aws.xml, 'Error', 'Code')).toBe('InvalidParameterValue');
    expect(text(aws.xml, 'RequestId')).toMatch(/^[\w-]+$/);

    const missing = await cw({ Action: 'GetMetricStatistics' });
    expect(text(missing.xml, 'Error', 'Code')).toBe('MissingParameter');

    const notBoolean = await cw({
      Action: 'ListMetrics',
      'Dimensions.member.1.Name': 'ServiceName',
      IncludeLinkedAccounts: 'maybe',
    });
    expect(notBoolean.status).toBe(400);
    expect(text(notBoolean.xml, 'Error', 'Code')).toBe('InvalidParameterValue');

    const unknown = await cw({ Action: 'DescribeAlarmsNope' });
    expect(text(unknown.xml, 'Error', 'Code')).toBe('InvalidAction');
  });
});
