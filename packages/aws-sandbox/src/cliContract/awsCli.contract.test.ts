/*
 * Contract test with a real client: the AWS CLI v2 (/usr/bin/aws, Debian's
 * awscli; scripts/test installs it) runs a script of calls against an
 * in-process sandbox, and what it prints is compared with what AWS
 * documents for each call: the JSON shapes of the API reference, the CLI's
 * exit codes (254 for a service error, printed as "An error occurred (Code)
 * when calling the Op operation: ..."; 255 when a waiter reaches a failure
 * state) and the services' error codes.
 *
 * Not a unit test: `backstage-cli package test` leaves *.contract.test.ts
 * out (package.json jest.testPathIgnorePatterns). scripts/test runs it as
 * its own step; by hand:
 *   yarn workspace @internal/aws-sandbox test:contract src/cliContract/awsCli.contract.test.ts
 *
 * Each CLI call costs about a second of Python start-up, so calls that do
 * not depend on each other run two or three at a time.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  cliEnv,
  cliError,
  CliResult,
  haveExecutable,
  run,
  useContractSandbox,
} from './__testUtils__/cli';

// Generous: scripts/test runs this beside the browser tests on two cores.
jest.setTimeout(120_000);

const AWS = '/usr/bin/aws';
const TEMPLATE = `file://${path.join(__dirname, 'awsCliStack.yaml')}`;
const STACK = 'cli-contract';
const BROKEN = 'cli-contract-broken';
const CLUSTER = `${STACK}-cluster`;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;
const STACK_ARN = new RegExp(
  `^arn:aws:cloudformation:us-east-1:000000000000:stack/${STACK}/[0-9a-f-]{36}$`,
);
const SERVICE_DIMENSIONS = [
  { Name: 'ClusterName', Value: CLUSTER },
  { Name: 'ServiceName', Value: 'web' },
];

const describeIfCli =
  haveExecutable(AWS, "Debian's awscli package, the AWS CLI v2") &&
  /^aws-cli\/2\./.test(execFileSync(AWS, ['--version'], { encoding: 'utf8' }))
    ? describe
    : describe.skip;

describeIfCli('AWS CLI v2 against the sandbox', () => {
  const t = useContractSandbox(16);

  /** Runs `aws <args>` with JSON output against the sandbox. */
  function aws(...args: string[]): Promise<CliResult> {
    return run(
      AWS,
      [
        '--endpoint-url',
        t.sb.url,
        '--region',
        'us-east-1',
        '--output',
        'json',
        '--no-cli-pager',
        ...args,
      ],
      { env: cliEnv(t.sb.url) },
    );
  }

  /** A call that must succeed: its JSON output, or null if it printed none. */
  async function ok(...args: string[]): Promise<any> {
    const r = await aws(...args);
    if (r.code !== 0) {
      throw new Error(`aws ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    }
    return r.stdout.trim() ? JSON.parse(r.stdout) : null;
  }

  /** A call that must fail with a service error (exit 254, `code`). */
  async function fails(code: string, ...args: string[]) {
    const r = await aws(...args);
    const error = cliError(r.stderr);
    expect({ exit: r.code, stdout: r.stdout, code: error?.code }).toEqual({
      exit: 254,
      stdout: '',
      code,
    });
    return error!;
  }

  /** A waiter: exit code and what it printed (nothing when it succeeds). */
  async function wait(...args: string[]) {
    const r = await aws(...args);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr.trim() };
  }

  it('STS get-caller-identity prints the three documented keys; EC2 lists the region’s zones', async () => {
    const [id, azs] = await Promise.all([
      ok('sts', 'get-caller-identity'),
      ok('ec2', 'describe-availability-zones'),
    ]);
    expect(id).toEqual({
      UserId: expect.any(String),
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:user/sandbox',
    });
    const zones = azs.AvailabilityZones;
    expect(zones.map((z: any) => z.ZoneName)).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map(s => `us-east-1${s}`),
    );
    for (const z of zones) {
      expect(z).toMatchObject({
        State: 'available',
        OptInStatus: 'opt-in-not-required',
        RegionName: 'us-east-1',
        GroupName: 'us-east-1',
        NetworkBorderGroup: 'us-east-1',
        ZoneType: 'availability-zone',
        ZoneId: expect.stringMatching(/^use1-az\d$/),
      });
    }
  });

  it('SSM put-parameter, get-parameter, get-parameters-by-path, delete-parameter and their errors', async () => {
    const put = (name: string, value: string, ...more: string[]) =>
      ok('ssm', 'put-parameter', '--name', name, '--value', value, ...more);
    expect(
      await Promise.all([
        put('/cli/app/url', 'https://example.test', '--type', 'String'),
        put('/cli/app/secret', 's3cr3t', '--type', 'SecureString'),
      ]),
    ).toEqual([
      { Version: 1, Tier: 'Standard' },
      { Version: 1, Tier: 'Standard' },
    ]);
    const [overwritten] = await Promise.all([
      put('/cli/app/url', 'https://example.test/v2', '--overwrite'),
      fails(
        'ParameterAlreadyExists',
        'ssm',
        'put-parameter',
        '--name',
        '/cli/app/secret',
        '--value',
        'x',
        '--type',
        'SecureString',
      ),
      fails('ParameterNotFound', 'ssm', 'get-parameter', '--name', '/cli/no'),
    ]);
    expect(overwritten).toEqual({ Version: 2, Tier: 'Standard' });

    const [got, byPath] = await Promise.all([
      ok('ssm', 'get-parameter', '--name', '/cli/app/url'),
      ok(
        'ssm',
        'get-parameters-by-path',
        '--path',
        '/cli',
        '--recursive',
        '--with-decryption',
      ),
    ]);
    expect(got.Parameter).toEqual({
      Name: '/cli/app/url',
      Type: 'String',
      Value: 'https://example.test/v2',
      Version: 2,
      LastModifiedDate: expect.stringMatching(ISO_TIME),
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/cli/app/url',
      DataType: 'text',
    });
    expect(
      byPath.Parameters.map((p: any) => [p.Name, p.Type, p.Value]).sort(),
    ).toEqual([
      ['/cli/app/secret', 'SecureString', 's3cr3t'],
      ['/cli/app/url', 'String', 'https://example.test/v2'],
    ]);

    expect(
      await ok('ssm', 'delete-parameter', '--name', '/cli/app/secret'),
    ).toBeNull();
    await fails(
      'ParameterNotFound',
      'ssm',
      'delete-parameter',
      '--name',
      '/cli/app/secret',
    );
  });

  it('CloudFormation validate-template reads the YAML template and rejects a broken one', async () => {
    const [valid, broken] = await Promise.all([
      ok('cloudformation', 'validate-template', '--template-body', TEMPLATE),
      fails(
        'ValidationError',
        'cloudformation',
        'validate-template',
        '--template-body',
        'Resources: [',
      ),
    ]);
    expect(valid.Description).toBe(
      'aws-sandbox contract test for the AWS CLI v2',
    );
    expect(valid.Parameters).toEqual([
      {
        ParameterKey: 'Version',
        DefaultValue: '1',
        NoEcho: false,
        Description: 'Image tag suffix, also stored in SSM',
      },
      { ParameterKey: 'DesiredCount', DefaultValue: '1', NoEcho: false },
    ]);
    expect(broken.message).toMatch(/^Template format error/);
  });

  let stackId: string;

  it('CloudFormation create-stack from YAML, wait stack-create-complete, describe-stacks / list-stack-resources / describe-stack-events', async () => {
    const created = await ok(
      'cloudformation',
      'create-stack',
      '--stack-name',
      STACK,
      '--template-body',
      TEMPLATE,
      '--tags',
      'Key=team,Value=platform',
    );
    expect(created).toEqual({ StackId: expect.stringMatching(STACK_ARN) });
    stackId = created.StackId;
    const [, waited] = await Promise.all([
      fails(
        'AlreadyExistsException',
        'cloudformation',
        'create-stack',
        '--stack-name',
        STACK,
        '--template-body',
        TEMPLATE,
      ),
      wait(
        'cloudformation',
        'wait',
        'stack-create-complete',
        '--stack-name',
        STACK,
      ),
    ]);
    expect(waited).toEqual({ code: 0, stdout: '', stderr: '' });

    const [stacks, resources, events] = await Promise.all([
      ok('cloudformation', 'describe-stacks', '--stack-name', STACK),
      ok('cloudformation', 'list-stack-resources', '--stack-name', STACK),
      ok('cloudformation', 'describe-stack-events', '--stack-name', STACK),
    ]);
    const [stack] = stacks.Stacks;
    expect(stack).toMatchObject({
      StackId: stackId,
      StackName: STACK,
      StackStatus: 'CREATE_COMPLETE',
      CreationTime: expect.stringMatching(ISO_TIME),
      DisableRollback: false,
      Tags: [{ Key: 'team', Value: 'platform' }],
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    });
    expect(stack.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: 'Version', ParameterValue: '1' },
        { ParameterKey: 'DesiredCount', ParameterValue: '1' },
      ]),
    );
    expect(stack.Outputs).toEqual(
      expect.arrayContaining([
        {
          OutputKey: 'ClusterName',
          OutputValue: CLUSTER,
          ExportName: `${STACK}-ClusterName`,
        },
        {
          OutputKey: 'ServiceArn',
          OutputValue: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/web`,
        },
      ]),
    );
    expect(
      resources.StackResourceSummaries.map((r: any) => [
        r.LogicalResourceId,
        r.ResourceType,
        r.ResourceStatus,
      ]).sort(),
    ).toEqual(
      [
        ['Cluster', 'AWS::ECS::Cluster'],
        ['CpuPolicy', 'AWS::ApplicationAutoScaling::ScalingPolicy'],
        ['LogGroup', 'AWS::Logs::LogGroup'],
        ['ScalableTarget', 'AWS::ApplicationAutoScaling::ScalableTarget'],
        ['Service', 'AWS::ECS::Service'],
        ['ServiceSecurityGroup', 'AWS::EC2::SecurityGroup'],
        ['Subnet', 'AWS::EC2::Subnet'],
        ['TaskDefinition', 'AWS::ECS::TaskDefinition'],
        ['VersionParameter', 'AWS::SSM::Parameter'],
        ['Vpc', 'AWS::EC2::VPC'],
      ].map(r => [...r, 'CREATE_COMPLETE']),
    );

    // Newest first: the create ends with the stack's CREATE_COMPLETE and
    // began with its "User Initiated" CREATE_IN_PROGRESS.
    const all = events.StackEvents;
    expect(all[0]).toMatchObject({
      LogicalResourceId: STACK,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: 'CREATE_COMPLETE',
      Timestamp: expect.stringMatching(ISO_TIME),
    });
    expect(all[all.length - 1]).toMatchObject({
      LogicalResourceId: STACK,
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
    });
    // The service completed only once its task ran (ECS stabilisation).
    const service = all
      .filter((e: any) => e.LogicalResourceId === 'Service')
      .reverse();
    expect(service.map((e: any) => e.ResourceStatus)).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
    ]);
    expect(
      Date.parse(service[2].Timestamp) - Date.parse(service[1].Timestamp),
    ).toBeGreaterThanOrEqual(30_000);
  });

  it('ECS describe-clusters, describe-services, wait services-stable, list-tasks, describe-tasks on the stack’s service', async () => {
    const [clusters, services, stable, tasks] = await Promise.all([
      ok(
        'ecs',
        'describe-clusters',
        '--clusters',
        CLUSTER,
        'nope',
        '--include',
        'STATISTICS',
      ),
      ok(
        'ecs',
        'describe-services',
        '--cluster',
        CLUSTER,
        '--services',
        'web',
        'gone',
      ),
      wait(
        'ecs',
        'wait',
        'services-stable',
        '--cluster',
        CLUSTER,
        '--services',
        'web',
      ),
      ok('ecs', 'list-tasks', '--cluster', CLUSTER, '--service-name', 'web'),
    ]);
    expect(clusters.clusters[0]).toMatchObject({
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${CLUSTER}`,
      clusterName: CLUSTER,
      status: 'ACTIVE',
      activeServicesCount: 1,
      runningTasksCount: 1,
    });
    expect(
      Object.fromEntries(
        clusters.clusters[0].statistics.map((s: any) => [s.name, s.value]),
      ),
    ).toMatchObject({
      runningFargateTasksCount: '1',
      activeFargateServiceCount: '1',
    });
    expect(clusters.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope',
        reason: 'MISSING',
      },
    ]);

    const svc = services.services[0];
    expect(svc).toMatchObject({
      serviceArn: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/web`,
      serviceName: 'web',
      status: 'ACTIVE',
      launchType: 'FARGATE',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      taskDefinition: `arn:aws:ecs:us-east-1:000000000000:task-definition/${STACK}-web:1`,
      createdAt: expect.stringMatching(ISO_TIME),
      deploymentConfiguration: expect.objectContaining({
        deploymentCircuitBreaker: { enable: true, rollback: true },
      }),
    });
    expect(svc.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        runningCount: 1,
      }),
    ]);
    expect(svc.events[0].message).toBe(
      '(service web) has reached a steady state.',
    );
    expect(services.failures).toEqual([
      {
        arn: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/gone`,
        reason: 'MISSING',
      },
    ]);
    // The waiter's DescribeServices found the service stable at once.
    expect(stable).toEqual({ code: 0, stdout: '', stderr: '' });

    expect(tasks.taskArns).toEqual([
      expect.stringMatching(
        new RegExp(
          `^arn:aws:ecs:us-east-1:000000000000:task/${CLUSTER}/[0-9a-f]{32}$`,
        ),
      ),
    ]);
    const [described] = await Promise.all([
      ok(
        'ecs',
        'describe-tasks',
        '--cluster',
        CLUSTER,
        '--tasks',
        tasks.taskArns[0],
      ),
      fails(
        'ClusterNotFoundException',
        'ecs',
        'describe-services',
        '--cluster',
        'no-such-cluster',
        '--services',
        'web',
      ),
    ]);
    const [task] = described.tasks;
    expect(task).toMatchObject({
      taskArn: tasks.taskArns[0],
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      group: 'service:web',
      availabilityZone: 'us-east-1a',
      cpu: '256',
      memory: '512',
    });
    expect(task.containers[0]).toMatchObject({
      name: 'web',
      image: 'public.ecr.aws/docker/library/nginx:1.1',
      lastStatus: 'RUNNING',
    });
  });

  it('Logs describe-log-groups, describe-log-streams, get-log-events show the task’s awslogs stream; errors', async () => {
    const [groups, streams] = await Promise.all([
      ok(
        'logs',
        'describe-log-groups',
        '--log-group-name-prefix',
        `/ecs/${STACK}`,
      ),
      ok(
        'logs',
        'describe-log-streams',
        '--log-group-name',
        `/ecs/${STACK}`,
        '--order-by',
        'LastEventTime',
        '--descending',
      ),
    ]);
    expect(groups.logGroups).toEqual([
      expect.objectContaining({
        logGroupName: `/ecs/${STACK}`,
        arn: `arn:aws:logs:us-east-1:000000000000:log-group:/ecs/${STACK}:*`,
        creationTime: expect.any(Number),
        retentionInDays: 7,
        metricFilterCount: 0,
        storedBytes: expect.any(Number),
      }),
    ]);
    expect(streams.logStreams).toHaveLength(1);
    // awslogs names streams <prefix>/<container>/<task id>.
    const stream = streams.logStreams[0].logStreamName;
    expect(stream).toMatch(/^web\/web\/[0-9a-f]{32}$/);

    const [events] = await Promise.all([
      ok(
        'logs',
        'get-log-events',
        '--log-group-name',
        `/ecs/${STACK}`,
        '--log-stream-name',
        stream,
        '--start-from-head',
      ),
      fails(
        'ResourceAlreadyExistsException',
        'logs',
        'create-log-group',
        '--log-group-name',
        `/ecs/${STACK}`,
      ),
      // 2 days is not one of the retention periods CloudWatch Logs takes.
      fails(
        'InvalidParameterException',
        'logs',
        'put-retention-policy',
        '--log-group-name',
        `/ecs/${STACK}`,
        '--retention-in-days',
        '2',
      ),
    ]);
    expect(events.events.length).toBeGreaterThan(0);
    expect(events.events[0]).toEqual({
      timestamp: expect.any(Number),
      message: expect.any(String),
      ingestionTime: expect.any(Number),
    });
    expect(events.nextForwardToken).toMatch(/^f\//);
    expect(events.nextBackwardToken).toMatch(/^b\//);
  });

  it('Application Auto Scaling describes the stack’s scalable target and policy; errors', async () => {
    const [targets, policies] = await Promise.all([
      ok(
        'application-autoscaling',
        'describe-scalable-targets',
        '--service-namespace',
        'ecs',
      ),
      ok(
        'application-autoscaling',
        'describe-scaling-policies',
        '--service-namespace',
        'ecs',
        '--resource-id',
        `service/${CLUSTER}/web`,
      ),
      fails(
        'ValidationException',
        'application-autoscaling',
        'register-scalable-target',
        '--service-namespace',
        'ecs',
        '--scalable-dimension',
        'ecs:service:DesiredCount',
        '--resource-id',
        `service/${CLUSTER}/web`,
        '--min-capacity',
        '5',
        '--max-capacity',
        '2',
      ),
    ]);
    expect(targets.ScalableTargets).toEqual([
      {
        ServiceNamespace: 'ecs',
        ResourceId: `service/${CLUSTER}/web`,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: expect.stringMatching(
          /^arn:aws:iam::000000000000:role\/aws-service-role\/ecs\.application-autoscaling\.amazonaws\.com\//,
        ),
        CreationTime: expect.stringMatching(ISO_TIME),
        SuspendedState: {
          DynamicScalingInSuspended: false,
          DynamicScalingOutSuspended: false,
          ScheduledScalingSuspended: false,
        },
      },
    ]);
    expect(policies.ScalingPolicies).toEqual([
      expect.objectContaining({
        PolicyName: 'cpu-target',
        PolicyType: 'TargetTrackingScaling',
        PolicyARN: expect.stringMatching(
          new RegExp(
            `^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource/ecs/service/${CLUSTER}/web:policyName/cpu-target$`,
          ),
        ),
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
          },
        },
        CreationTime: expect.stringMatching(ISO_TIME),
      }),
    ]);
  });

  it('CloudWatch answers the CLI’s query protocol: list-metrics, get-metric-statistics, get-metric-data, alarms', async () => {
    // Whole five minutes of simulated time (the clock runs ahead of wall
    // time), in epoch seconds as the CLI takes them.
    const end = String(Math.floor(t.sb.clock.now() / 300_000) * 300);
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

  it('CloudFormation change sets: create, wait, describe, execute, wait stack-update-complete; an unknown one deletes, an empty one fails', async () => {
    const created = await ok(
      'cloudformation',
      'create-change-set',
      '--stack-name',
      STACK,
      '--change-set-name',
      'v2',
      '--use-previous-template',
      '--parameters',
      'ParameterKey=Version,ParameterValue=2',
      'ParameterKey=DesiredCount,UsePreviousValue=true',
    );
    expect(created).toEqual({
      Id: expect.stringMatching(
        /^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/v2\/[0-9a-f-]{36}$/,
      ),
      StackId: stackId,
    });
    const [ready, deletedUnknown] = await Promise.all([
      wait(
        'cloudformation',
        'wait',
        'change-set-create-complete',
        '--stack-name',
        STACK,
        '--change-set-name',
        'v2',
      ),
      // Deleting a change set the stack does not have succeeds, as on AWS
      // (the CDK CLI clears its change set's name this way).
      ok(
        'cloudformation',
        'delete-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'never-created',
      ),
    ]);
    expect(ready).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(deletedUnknown).toBeNull();

    const [cs, unknown] = await Promise.all([
      ok(
        'cloudformation',
        'describe-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'v2',
      ),
      fails(
        'ChangeSetNotFound',
        'cloudformation',
        'describe-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'never-created',
      ),
    ]);
    expect(unknown.message).toBe('ChangeSet [never-created] does not exist');
    expect(cs).toMatchObject({
      ChangeSetName: 'v2',
      ChangeSetId: created.Id,
      StackId: stackId,
      StackName: STACK,
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      CreationTime: expect.stringMatching(ISO_TIME),
    });
    const changes = Object.fromEntries(
      cs.Changes.map((c: any) => {
        expect(c.Type).toBe('Resource');
        return [c.ResourceChange.LogicalResourceId, c.ResourceChange];
      }),
    );
    expect(Object.keys(changes).sort()).toEqual([
      'Service',
      'TaskDefinition',
      'VersionParameter',
    ]);
    expect(changes.TaskDefinition).toMatchObject({
      Action: 'Modify',
      ResourceType: 'AWS::ECS::TaskDefinition',
      Replacement: 'True',
      Scope: ['Properties'],
    });
    // The service changes because what it refers to is replaced.
    expect(changes.Service).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      Details: expect.arrayContaining([
        expect.objectContaining({
          Target: expect.objectContaining({
            Attribute: 'Properties',
            Name: 'TaskDefinition',
            RequiresRecreation: 'Never',
          }),
          ChangeSource: 'ResourceReference',
          CausingEntity: 'TaskDefinition',
        }),
      ]),
    });
    expect(changes.VersionParameter).toMatchObject({
      Action: 'Modify',
      Details: expect.arrayContaining([
        expect.objectContaining({
          ChangeSource: 'ParameterReference',
          CausingEntity: 'Version',
        }),
      ]),
    });

    expect(
      await ok(
        'cloudformation',
        'execute-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'v2',
      ),
    ).toBeNull();
    expect(
      await wait(
        'cloudformation',
        'wait',
        'stack-update-complete',
        '--stack-name',
        STACK,
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
    const [stacks, services] = await Promise.all([
      ok('cloudformation', 'describe-stacks', '--stack-name', STACK),
      ok(
        'ecs',
        'describe-services',
        '--cluster',
        CLUSTER,
        '--services',
        'web',
        '--query',
        'services[0].[taskDefinition, runningCount, deployments[0].rolloutState]',
      ),
      // The same parameters again: nothing to change.
      ok(
        'cloudformation',
        'create-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'same',
        '--use-previous-template',
        '--parameters',
        'ParameterKey=Version,ParameterValue=2',
        'ParameterKey=DesiredCount,UsePreviousValue=true',
      ),
    ]);
    expect(stacks.Stacks[0]).toMatchObject({
      StackStatus: 'UPDATE_COMPLETE',
      LastUpdatedTime: expect.stringMatching(ISO_TIME),
    });
    expect(stacks.Stacks[0].Parameters).toContainEqual({
      ParameterKey: 'Version',
      ParameterValue: '2',
    });
    expect(services).toEqual([
      `arn:aws:ecs:us-east-1:000000000000:task-definition/${STACK}-web:2`,
      1,
      'COMPLETED',
    ]);

    const empty = await wait(
      'cloudformation',
      'wait',
      'change-set-create-complete',
      '--stack-name',
      STACK,
      '--change-set-name',
      'same',
    );
    expect(empty.code).toBe(255);
    expect(empty.stderr).toBe(
      'Waiter ChangeSetCreateComplete failed: Waiter encountered a terminal failure state: For expression "Status" we matched expected path: "FAILED"',
    );
    const failed = await ok(
      'cloudformation',
      'describe-change-set',
      '--stack-name',
      STACK,
      '--change-set-name',
      'same',
      '--query',
      '[Status, ExecutionStatus, StatusReason]',
    );
    expect(failed).toEqual([
      'FAILED',
      'UNAVAILABLE',
      "The submitted information didn't contain changes. Submit different information to create a change set.",
    ]);
    expect(
      await ok(
        'cloudformation',
        'delete-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'same',
      ),
    ).toBeNull();
  });

  it('CloudFormation update-stack and "No updates are to be performed."; drift after an out-of-band change', async () => {
    await ok(
      'cloudformation',
      'update-stack',
      '--stack-name',
      STACK,
      '--use-previous-template',
      '--parameters',
      'ParameterKey=Version,UsePreviousValue=true',
      'ParameterKey=DesiredCount,ParameterValue=2',
    );
    expect(
      await wait(
        'cloudformation',
        'wait',
        'stack-update-complete',
        '--stack-name',
        STACK,
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
    const counts = await ok(
      'ecs',
      'describe-services',
      '--cluster',
      CLUSTER,
      '--services',
      'web',
      '--query',
      'services[0].[desiredCount, runningCount]',
    );
    expect(counts).toEqual([2, 2]);
    const [none] = await Promise.all([
      fails(
        'ValidationError',
        'cloudformation',
        'update-stack',
        '--stack-name',
        STACK,
        '--use-previous-template',
        '--parameters',
        'ParameterKey=Version,UsePreviousValue=true',
        'ParameterKey=DesiredCount,UsePreviousValue=true',
      ),
      // Someone changes the service outside CloudFormation.
      ok(
        'ecs',
        'update-service',
        '--cluster',
        CLUSTER,
        '--service',
        'web',
        '--desired-count',
        '3',
      ),
    ]);
    expect(none.message).toBe('No updates are to be performed.');

    const { StackDriftDetectionId: id } = await ok(
      'cloudformation',
      'detect-stack-drift',
      '--stack-name',
      STACK,
    );
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    let status: any;
    for (let i = 0; i < 10; i++) {
      status = await ok(
        'cloudformation',
        'describe-stack-drift-detection-status',
        '--stack-drift-detection-id',
        id,
      );
      if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') break;
    }
    expect(status).toMatchObject({
      StackId: stackId,
      StackDriftDetectionId: id,
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 1,
      Timestamp: expect.stringMatching(ISO_TIME),
    });
    const drifts = await ok(
      'cloudformation',
      'describe-stack-resource-drifts',
      '--stack-name',
      STACK,
      '--stack-resource-drift-status-filters',
      'MODIFIED',
    );
    expect(drifts.StackResourceDrifts).toEqual([
      expect.objectContaining({
        StackId: stackId,
        LogicalResourceId: 'Service',
        ResourceType: 'AWS::ECS::Service',
        StackResourceDriftStatus: 'MODIFIED',
        PropertyDifferences: [
          {
            PropertyPath: '/DesiredCount',
            ExpectedValue: '2',
            ActualValue: '3',
            DifferenceType: 'NOT_EQUAL',
          },
        ],
        Timestamp: expect.stringMatching(ISO_TIME),
      }),
    ]);
  });

  it('a failing create rolls back and wait stack-create-complete exits 255; delete-stack and wait stack-delete-complete', async () => {
    t.sb.addFault({
      type: 'resourceFailure',
      stackName: BROKEN,
      logicalIdPrefix: 'Service',
      resourceType: 'AWS::ECS::Service',
      message: 'Resource handler returned message: "Invalid request"',
    });
    await ok(
      'cloudformation',
      'create-stack',
      '--stack-name',
      BROKEN,
      '--template-body',
      TEMPLATE,
    );
    const [rolledBack] = await Promise.all([
      wait(
        'cloudformation',
        'wait',
        'stack-create-complete',
        '--stack-name',
        BROKEN,
      ),
      ok('cloudformation', 'delete-stack', '--stack-name', STACK),
    ]);
    expect(rolledBack.code).toBe(255);
    expect(rolledBack.stderr).toBe(
      'Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: For expression "Stacks[].StackStatus" we matched expected path: "ROLLBACK_COMPLETE" at least once',
    );
    const [events] = await Promise.all([
      ok('cloudformation', 'describe-stack-events', '--stack-name', BROKEN),
      wait(
        'cloudformation',
        'wait',
        'stack-delete-complete',
        '--stack-name',
        STACK,
      ).then(r => expect(r).toEqual({ code: 0, stdout: '', stderr: '' })),
    ]);
    expect(
      events.StackEvents.find((e: any) => e.ResourceStatus === 'CREATE_FAILED'),
    ).toMatchObject({
      LogicalResourceId: 'Service',
      ResourceStatusReason:
        'Resource handler returned message: "Invalid request"',
    });

    const [missing, cluster, logGroups] = await Promise.all([
      fails(
        'ValidationError',
        'cloudformation',
        'describe-stacks',
        '--stack-name',
        STACK,
      ),
      ok(
        'ecs',
        'describe-clusters',
        '--clusters',
        CLUSTER,
        '--query',
        'clusters[0].status',
      ),
      ok(
        'logs',
        'describe-log-groups',
        '--log-group-name-prefix',
        `/ecs/${STACK}`,
        '--query',
        'logGroups',
      ),
      ok('cloudformation', 'delete-stack', '--stack-name', BROKEN),
    ]);
    expect(missing.message).toBe(`Stack with id ${STACK} does not exist`);
    // Its live objects went with it: a deleted cluster stays INACTIVE.
    expect(cluster).toBe('INACTIVE');
    expect(logGroups).toEqual([]);
    expect(
      await wait(
        'cloudformation',
        'wait',
        'stack-delete-complete',
        '--stack-name',
        BROKEN,
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reached the sandbox through the operations named above (CloudWatch in the query protocol)', () => {
    for (const call of [
      'cloudwatch ListMetrics',
      'cloudwatch GetMetricStatistics',
      'cloudwatch GetMetricData',
      'cloudwatch PutMetricAlarm',
      'cloudformation DeleteChangeSet',
      'cloudformation DetectStackDrift',
      'ec2 DescribeAvailabilityZones',
      'application-autoscaling DescribeScalableTargets',
    ]) {
      expect(t.calls).toContain(call);
    }
  });
});
