/*
 * Throttling of SSM, CloudWatch Logs, CloudWatch, CloudFormation and EC2 at
 * their rates, each answered with that service's throttling error in its
 * protocol, as the SDK clients (or, for EC2, the raw query) read it.
 */
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { adminFetch, useSandbox } from '../__testUtils__/sandbox';
import { queryRequest, text } from '../__testUtils__/query';

async function burst(n: number, call: () => Promise<unknown>) {
  const results = await Promise.allSettled(
    Array.from({ length: n }, () => call()),
  );
  const errors = results.flatMap(r =>
    r.status === 'rejected' ? [r.reason] : [],
  );
  return { passed: n - errors.length, errors };
}

describe('throttling per service', () => {
  const t = useSandbox({ throttle: 'aws' });

  beforeEach(async () => {
    await adminFetch(t.sb, 'DELETE', 'throttling');
  });

  it('SSM: GetParameter, GetParameters and GetParametersByPath share 40 a second', async () => {
    const ssm = new SSMClient(t.config);
    await ssm.send(
      new PutParameterCommand({ Name: '/p', Value: 'v', Type: 'String' }),
    );
    const get = await burst(30, () =>
      ssm.send(new GetParameterCommand({ Name: '/p' })),
    );
    const getMany = await burst(10, () =>
      ssm.send(new GetParametersCommand({ Names: ['/p'] })),
    );
    expect([get.passed, getMany.passed]).toEqual([30, 10]);
    await expect(
      ssm.send(new GetParametersByPathCommand({ Path: '/' })),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    t.sb.advance(1);
    expect(
      (await burst(41, () => ssm.send(new GetParameterCommand({ Name: '/p' }))))
        .passed,
    ).toBe(40);
  });

  it("CloudWatch Logs: FilterLogEvents at the region's quota (25 in us-east-1, 5 in eu-central-1)", async () => {
    const filter = (logs: CloudWatchLogsClient) => () =>
      logs.send(new FilterLogEventsCommand({ logGroupName: '/g' }));
    const results: Record<string, number> = {};
    for (const region of ['us-east-1', 'eu-central-1', 'eu-west-1']) {
      const logs = new CloudWatchLogsClient({ ...t.config, region });
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/g' }));
      const { passed, errors } = await burst(30, filter(logs));
      results[region] = passed;
      expect(errors[0]).toMatchObject({
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
    }
    expect(results).toEqual({
      'us-east-1': 25,
      'eu-central-1': 5,
      'eu-west-1': 10,
    });
  });

  it('CloudWatch: GetMetricData at 50 a second, Throttling in the query-compatible JSON', async () => {
    const cw = new CloudWatchClient(t.config);
    const input = {
      StartTime: new Date(Date.UTC(2026, 0, 15, 11)),
      EndTime: new Date(Date.UTC(2026, 0, 15, 12)),
      MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }],
    };
    const { passed, errors } = await burst(51, () =>
      cw.send(new GetMetricDataCommand(input)),
    );
    expect(passed).toBe(50);
    expect(errors[0]).toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    // ListMetrics has its own quota (25).
    await expect(cw.send(new ListMetricsCommand({}))).resolves.toBeDefined();

    // The query protocol (AWS CLI, SDK v2) gets the same code in XML.
    const res = await queryRequest(t.sb, 'monitoring', {
      Action: 'GetMetricData',
      Version: '2010-08-01',
    });
    expect(res.status).toBe(400);
    expect(text(res.xml, 'Error', 'Code')).toBe('Throttling');
  });

  it('CloudFormation: read actions (no published rate) at 10, refilled 5 a second', async () => {
    const cfn = new CloudFormationClient(t.config);
    const describe = () => cfn.send(new DescribeStacksCommand({}));
    const { passed, errors } = await burst(11, describe);
    expect(passed).toBe(10);
    expect(errors[0]).toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    const retrying = new CloudFormationClient({ ...t.config, maxAttempts: 2 });
    const again = await retrying
      .send(new DescribeStacksCommand({}))
      .catch(e => e);
    expect(again.$metadata.attempts).toBe(2);
    t.sb.advance(1);
    expect((await burst(6, describe)).passed).toBe(5);
  });

  it('EC2: non-mutating actions at 100, RequestLimitExceeded with HTTP 503', async () => {
    const zones = () =>
      queryRequest(t.sb, 'ec2', {
        Action: 'DescribeAvailabilityZones',
        Version: '2016-11-15',
      });
    const statuses = await Promise.all(
      Array.from({ length: 101 }, () => zones().then(r => r.status)),
    );
    expect(statuses.filter(s => s === 200)).toHaveLength(100);
    const res = await zones();
    expect(res.status).toBe(503);
    expect(text(res.xml, 'Errors', 'Error', 'Code')).toBe(
      'RequestLimitExceeded',
    );
  });

  it('never throttles STS', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () =>
        queryRequest(t.sb, 'sts', {
          Action: 'GetCallerIdentity',
          Version: '2011-06-15',
        }).then(r => r.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
