import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import { ConfigReader } from '@backstage/config';
import {
  CANARY,
  PROJECT,
  awsError,
  awsMocks,
  callCounts,
  capturingLogger,
  createTestService,
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from '../__testUtils__/awsFixtures';

const [testEnv] = readAwsEnvironments(new ConfigReader(environmentsConfig));

function collect(
  collector: ReturnType<typeof createTestService>['collector'],
  range: '1h' | '6h' | '24h' | '7d' = '1h',
) {
  return collector.collect({
    project: PROJECT,
    environment: testEnv,
    order: 0,
    range,
  });
}

describe('EnvironmentStatusCollector', () => {
  beforeEach(resetAwsMocks);

  it('reads a healthy environment', async () => {
    seedEnvironment({ running: 2 });
    const { collector } = createTestService();
    const status = await collect(collector);

    expect(status).toMatchObject({
      name: 'test',
      title: 'Test',
      accountId: '000000000000',
      region: 'us-east-1',
      order: 0,
      health: 'healthy',
      findings: [],
      errors: [],
      service: {
        serviceName: 'shop-test-service',
        clusterName: 'shop-test-ecs-cluster',
        status: 'ACTIVE',
        desiredCount: 2,
        runningCount: 2,
        taskDefinitionRevision: 7,
        image: 'nginx:1.27',
        circuitBreaker: { enable: true, rollback: true },
        scaling: { minCapacity: 1, maxCapacity: 4 },
      },
    });
    expect(status.error).toBeUndefined();
    expect(status.service?.events).toHaveLength(10);
    expect(status.tasks).toHaveLength(2);
    expect(status.tasks[0]).toMatchObject({
      lastStatus: 'RUNNING',
      taskDefinitionRevision: 7,
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    });
    expect(status.parameters.map(p => p.name)).toEqual([
      '/shop/test/app-secret',
      '/shop/test/log-level',
    ]);
    expect(status.metrics?.map(m => m.id)).toEqual([
      'cpuAverage',
      'cpuMaximum',
      'memoryAverage',
      'runningTaskCount',
    ]);
    expect(status.logs).toHaveLength(50);
    expect(status.consoleLinks.service).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/shop-test-ecs-cluster/services/shop-test-service/health?region=us-east-1',
    );
    expect(status.consoleLinks.logs).toContain('$252Fecs$252Fshop-test');
  });

  it('keeps the number of AWS calls fixed from 1 to 50 tasks', async () => {
    seedEnvironment({ running: 1 });
    await collect(createTestService().collector);
    const withOne = callCounts();

    resetAwsMocks();
    seedEnvironment({ running: 50, stopped: 20 });
    await collect(createTestService().collector);
    const withFifty = callCounts();

    expect(withFifty).toEqual(withOne);
    expect(withFifty).toEqual({
      DescribeServices: 1,
      ListTasks: 2,
      DescribeTasks: 1,
      DescribeTaskDefinition: 1,
      DescribeScalableTargets: 1,
      DescribeParameters: 1,
      DescribeStackResources: 1,
      GetMetricData: 1,
      FilterLogEvents: 1,
    });
  });

  it('caches task definitions and load balancers between refreshes', async () => {
    seedEnvironment({ running: 3 });
    const { collector } = createTestService();
    await collect(collector);
    const first = totalCalls();
    await collect(collector);
    // DescribeTaskDefinition and DescribeStackResources are not repeated.
    expect(totalCalls() - first).toBe(first - 2);
  });

  it('describes tasks in batches of 100', async () => {
    seedEnvironment({ running: 150, stopped: 20 });
    const status = await collect(createTestService().collector);
    const describeCalls = awsMocks.ecs.commandCalls(DescribeTasksCommand);
    expect(describeCalls.map(c => c.args[0].input.tasks?.length)).toEqual([
      100, 70,
    ]);
    expect(awsMocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(3);
    expect(status.tasks).toHaveLength(170);
  });

  it('bounds running tasks listed for very large services', async () => {
    seedEnvironment({ running: 1000 });
    const status = await collect(createTestService().collector);
    expect(awsMocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(3);
    expect(status.tasks).toHaveLength(200);
    expect(status.service?.runningCount).toBe(1000);
  });

  it('asks CloudWatch once for all series, with a period fitted to the range', async () => {
    seedEnvironment();
    const expected = { '1h': 60, '6h': 300, '24h': 300, '7d': 3600 } as const;
    for (const [range, period] of Object.entries(expected)) {
      awsMocks.cloudwatch.resetHistory();
      await collect(createTestService().collector, range as '1h');
      const calls = awsMocks.cloudwatch.commandCalls(GetMetricDataCommand);
      expect(calls).toHaveLength(1);
      const input = calls[0].args[0].input;
      const points =
        (input.EndTime!.getTime() - input.StartTime!.getTime()) / 1000 / period;
      expect(points).toBeLessThanOrEqual(1441);
      for (const query of input.MetricDataQueries ?? []) {
        expect(query.MetricStat?.Period).toBe(period);
      }
    }
  });

  it('uses series read ahead in a batch for a summary, once, and reports a failed batch without calling again', async () => {
    seedEnvironment();
    const { collector } = createTestService();
    const summary = () =>
      collector.collect({
        project: PROJECT,
        environment: testEnv,
        order: 0,
        range: '1h',
        detail: 'summary',
      });
    await collector.prefetchSummaryMetrics(
      [{ project: PROJECT, environment: testEnv }],
      '1h',
    );
    expect(awsMocks.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(
      1,
    );
    const first = await summary();
    expect(first.metrics?.[0].points).toHaveLength(2);
    expect(awsMocks.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(
      1,
    );
    // Used up: the next summary reads its own.
    await summary();
    expect(awsMocks.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(
      2,
    );

    awsMocks.cloudwatch
      .on(GetMetricDataCommand)
      .rejects(awsError('AccessDeniedException', 'not allowed'));
    await collector.prefetchSummaryMetrics(
      [{ project: PROJECT, environment: testEnv }],
      '1h',
    );
    const calls = awsMocks.cloudwatch.commandCalls(GetMetricDataCommand).length;
    const failed = await summary();
    expect(awsMocks.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(
      calls,
    );
    expect(failed.errors).toEqual([
      expect.objectContaining({ source: 'cloudwatch', type: 'ACCESS_DENIED' }),
    ]);
    expect(failed.service?.serviceName).toBe('shop-test-service');
  });

  it('adds load balancer series when the stack has an ALB', async () => {
    seedEnvironment({ withLoadBalancer: true });
    const status = await collect(createTestService().collector);
    const [call] = awsMocks.cloudwatch.commandCalls(GetMetricDataCommand);
    const albQueries = call.args[0].input.MetricDataQueries!.filter(
      q => q.MetricStat?.Metric?.Namespace === 'AWS/ApplicationELB',
    );
    expect(albQueries.map(q => q.MetricStat?.Metric?.MetricName)).toEqual([
      'RequestCount',
      'HTTPCode_Target_5XX_Count',
      'TargetResponseTime',
    ]);
    expect(albQueries[0].MetricStat?.Metric?.Dimensions).toEqual([
      {
        Name: 'LoadBalancer',
        Value: 'app/shop-test-alb/50dc6c495c0c9188',
      },
    ]);
    expect(status.metrics).toHaveLength(7);
  });

  it('skips load balancer series when the stack does not exist', async () => {
    seedEnvironment();
    awsMocks.cloudformation
      .on(DescribeStackResourcesCommand)
      .rejects(
        awsError('ValidationError', 'Stack with id shop-test does not exist'),
      );
    const status = await collect(createTestService().collector);
    expect(status.metrics).toHaveLength(4);
    expect(status.errors).toEqual([]);
  });

  it('keeps the service metrics when the stack cannot be read', async () => {
    seedEnvironment({ withLoadBalancer: true });
    awsMocks.cloudformation
      .on(DescribeStackResourcesCommand)
      .rejects(awsError('AccessDenied', 'not authorized'));
    const status = await collect(createTestService().collector);
    expect(status.metrics).toHaveLength(4);
    expect(status.errors).toEqual([
      {
        type: 'ACCESS_DENIED',
        source: 'cloudwatch',
        message: expect.stringContaining(
          'Load balancer of stack shop-test (its metrics are left out)',
        ),
      },
    ]);
  });

  it('reports an SSM failure for SSM only and keeps the ECS data', async () => {
    seedEnvironment();
    awsMocks.ssm
      .on(DescribeParametersCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'not authorized to perform ssm:DescribeParameters',
        ),
      );
    const status = await collect(createTestService().collector);
    expect(status.errors).toEqual([
      {
        type: 'ACCESS_DENIED',
        source: 'ssm',
        message: expect.stringContaining('SSM parameters under /shop/test/'),
      },
    ]);
    expect(status.error).toBeUndefined();
    expect(status.service?.runningCount).toBe(2);
    expect(status.parameters).toEqual([]);
    // Without parameter data the app-secret rule stays silent.
    expect(status.health).toBe('healthy');
  });

  it.each([
    ['ServiceNotFoundException', 'NOT_FOUND'],
    ['ClusterNotFoundException', 'NOT_FOUND'],
    ['AccessDeniedException', 'ACCESS_DENIED'],
    ['UnrecognizedClientException', 'ACCESS_DENIED'],
    ['ThrottlingException', 'THROTTLED'],
    ['TooManyRequestsException', 'THROTTLED'],
    ['TimeoutError', 'TIMEOUT'],
    ['AbortError', 'TIMEOUT'],
    ['ServerException', 'UNKNOWN'],
  ])('maps ECS %s to %s for the whole environment', async (name, type) => {
    seedEnvironment();
    awsMocks.ecs.on(DescribeServicesCommand).rejects(awsError(name));
    const status = await collect(createTestService().collector);
    expect(status.error).toMatchObject({ type, source: 'ecs' });
    expect(status.errors).toEqual([status.error]);
    expect(status.health).toBe('unknown');
    expect(status.findings).toEqual([]);
    // The other sources are still shown.
    expect(status.parameters).toHaveLength(2);
    expect(status.logs?.length).toBeGreaterThan(0);
  });

  it('reports a missing service as NOT_FOUND', async () => {
    seedEnvironment();
    awsMocks.ecs.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [
        { arn: 'arn:...:service/shop-test-service', reason: 'MISSING' },
      ],
    });
    const status = await collect(createTestService().collector);
    expect(status.error).toMatchObject({
      type: 'NOT_FOUND',
      source: 'ecs',
      message: expect.stringContaining('shop-test-service'),
    });
  });

  it('gives each failing source its own typed error', async () => {
    seedEnvironment();
    awsMocks.logs
      .on(FilterLogEventsCommand)
      .rejects(
        awsError('ResourceNotFoundException', 'log group does not exist'),
      );
    awsMocks.cloudwatch
      .on(GetMetricDataCommand)
      .rejects(awsError('Throttling', 'Rate exceeded'));
    awsMocks.autoscaling
      .on(DescribeScalableTargetsCommand)
      .rejects(awsError('AccessDeniedException'));
    const status = await collect(createTestService().collector);
    expect(status.errors.map(e => [e.source, e.type]).sort()).toEqual([
      ['autoscaling', 'ACCESS_DENIED'],
      ['cloudwatch', 'THROTTLED'],
      ['logs', 'NOT_FOUND'],
    ]);
    expect(status.service?.scaling).toBeUndefined();
    expect(status.metrics).toBeUndefined();
    expect(status.logs).toBeUndefined();
    expect(status.service?.runningCount).toBe(2);
  });

  it('reports a role AssumeRole refuses once, for the account, instead of once per source', async () => {
    seedEnvironment();
    // Every client signs with the account's assumed-role credentials, so
    // each source's first call fails with STS's answer.
    const refused = awsError(
      'AccessDenied',
      'User: arn:aws:iam::000000000000:user/backstage is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/backstage-aws-environments',
    );
    for (const mock of Object.values(awsMocks)) {
      (mock as typeof awsMocks.ecs).onAnyCommand().rejects(refused);
    }
    const logger = capturingLogger();
    const status = await collect(createTestService({ logger }).collector);
    expect(status.error).toEqual({
      type: 'ACCESS_DENIED',
      source: 'ecs',
      message: expect.stringMatching(
        /^AWS credentials for account 000000000000: access denied; the role arn:aws:iam::000000000000:role\/backstage-aws-environments cannot be assumed: check that it exists in this account and trusts /,
      ),
    });
    expect(status.errors).toEqual([status.error]);
    expect(status.health).toBe('unknown');
    expect(logger.lines.filter(l => l.includes('failed:'))).toEqual([
      expect.stringContaining('Reading ecs of shop/test failed: ACCESS_DENIED'),
    ]);
  });

  it('keeps the service when only the task list fails', async () => {
    seedEnvironment();
    awsMocks.ecs.on(ListTasksCommand).rejects(awsError('ThrottlingException'));
    const status = await collect(createTestService().collector);
    expect(status.service).toBeDefined();
    expect(status.tasks).toEqual([]);
    expect(status.errors).toEqual([
      expect.objectContaining({ source: 'ecs', type: 'THROTTLED' }),
    ]);
    expect(status.error).toBeUndefined();
  });

  it('reports sources still pending at the time budget as TIMEOUT', async () => {
    seedEnvironment();
    awsMocks.ssm
      .on(DescribeParametersCommand)
      .callsFake(() => new Promise(() => {}));
    const { collector } = createTestService({ options: { timeoutMs: 100 } });
    const started = Date.now();
    const status = await collect(collector);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(status.errors).toEqual([
      expect.objectContaining({ source: 'ssm', type: 'TIMEOUT' }),
    ]);
    expect(status.service?.runningCount).toBe(2);
  });

  it('finds a crash loop from stopped tasks', async () => {
    seedEnvironment({ running: 1, stopped: 5, crashing: true });
    const status = await collect(createTestService().collector);
    expect(status.health).toBe('unhealthy');
    expect(status.findings.map(f => f.id)).toContain('crash-looping');
  });

  it('does not call a crash loop what a deployment replaced', async () => {
    seedEnvironment({ running: 2, stopped: 5 });
    const status = await collect(createTestService().collector);
    expect(status.findings).toEqual([]);
  });

  it('never reads parameter values, and no value reaches the result or logs', async () => {
    seedEnvironment();
    const { collector, logger } = createTestService();
    awsMocks.cloudwatch
      .on(GetMetricDataCommand)
      .rejects(awsError('Throttling'));
    const status = await collect(collector);
    const commands = awsMocks.ssm
      .calls()
      .map(c => (c.args[0] as object).constructor.name);
    expect(commands).toEqual(['DescribeParametersCommand']);
    for (const call of awsMocks.ssm.calls()) {
      expect(JSON.stringify(call.args[0].input)).not.toContain(
        'WithDecryption',
      );
    }
    expect(JSON.stringify(status)).not.toContain(CANARY);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain(CANARY);
    expect(status.parameters[0]).toEqual({
      name: '/shop/test/app-secret',
      type: 'SecureString',
      version: 3,
      tier: 'Standard',
      keyId: 'alias/aws/ssm',
      lastModifiedDate: expect.any(String),
      lastModifiedUser: 'arn:aws:iam::000000000000:user/deployer',
    });
  });

  it('reads the newest log lines first, widening the window only when quiet', async () => {
    seedEnvironment();
    awsMocks.logs.on(FilterLogEventsCommand).callsFake(input =>
      // A quiet service: nothing in the last minute, a few lines before.
      input.endTime - input.startTime <= 60_000
        ? { events: [] }
        : {
            events: [0, 1, 2].map(i => ({
              eventId: `${input.startTime}-${i}`,
              timestamp: input.startTime + i * 1000,
              message: `line ${i}`,
              logStreamName: 'ecs/app/1',
            })),
          },
    );
    const status = await collect(createTestService().collector);
    const calls = awsMocks.logs.commandCalls(FilterLogEventsCommand);
    expect(calls).toHaveLength(3);
    expect(status.logs).toHaveLength(6);
    const timestamps = status.logs!.map(l => l.timestamp);
    expect([...timestamps].sort().reverse()).toEqual(timestamps);
  });
});
