/*
 * Contract test with a real client: the AWS CDK CLI (`aws-cdk`, pinned in
 * this package's devDependencies) deploys, diffs (with a change set),
 * checks drift of, deploys again and destroys a small CDK app
 * (__testUtils__/cdkApp.ts: an explicit env, a VPC and a Fargate service)
 * against an in-process sandbox, with the endpoint set only through
 * AWS_ENDPOINT_URL. What the CLI prints and exits with is checked, and what
 * it did is read back with the AWS SDK as AWS would answer.
 *
 * Not a unit test: `backstage-cli package test` leaves *.contract.test.ts
 * out (package.json jest.testPathIgnorePatterns). scripts/test runs it as
 * its own step; by hand:
 *   yarn workspace @internal/aws-sandbox test:contract src/cliContract/cdkCli.contract.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  cliEnv,
  CliResult,
  haveExecutable,
  run,
  tempDir,
  useContractSandbox,
} from './__testUtils__/cli';

jest.setTimeout(120_000);

const STACK = 'CliContract';
const CDK = path.join(
  path.dirname(require.resolve('aws-cdk/package.json')),
  'bin',
  'cdk',
);
const APP = [
  process.execPath,
  '--require',
  require.resolve('@backstage/cli/config/nodeTransform.cjs'),
  path.join(__dirname, '__testUtils__', 'cdkApp.ts'),
].join(' '); // the CLI runs it through a shell; no spaces in these paths
const ZONES = ['a', 'b', 'c', 'd', 'e', 'f'].map(z => `us-east-1${z}`);

/** One line of the CLI's stack activity: `Stack | n/N | time | STATUS | Type | id reason`. */
interface Activity {
  status: string;
  type: string;
  logicalId: string;
  line: string;
}

function activity(stderr: string): Activity[] {
  return stderr
    .split('\n')
    .filter(l => l.startsWith(`${STACK} |`))
    .map(line => {
      const cells = line.split('|').map(c => c.trim());
      // The resource cell is "path (LogicalId) reason" or the stack name.
      const id =
        /\(([A-Za-z0-9]+)\)/.exec(cells[5])?.[1] ?? cells[5].split(' ')[0];
      return { status: cells[3], type: cells[4], logicalId: id, line };
    });
}

const describeIfCli = haveExecutable(CDK, 'the aws-cdk devDependency')
  ? describe
  : describe.skip;

describeIfCli('AWS CDK CLI against the sandbox', () => {
  const t = useContractSandbox(17);
  const workDir = tempDir('aws-sandbox-cdk-contract-');
  const config = () => ({
    endpoint: t.sb.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  /** Runs `cdk <command>` on the app in a fresh working directory. */
  async function cdk(...args: string[]) {
    const mark = t.calls.length;
    const result: CliResult = await run(
      process.execPath,
      [
        CDK,
        ...args,
        '--app',
        APP,
        '--output',
        path.join(workDir, 'cdk.out'),
        '--no-notices',
        '--no-color',
      ],
      {
        cwd: workDir,
        env: cliEnv(t.sb.url, {
          CDK_HOME: path.join(workDir, 'cdk-home'),
          CDK_DISABLE_VERSION_CHECK: 'true',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
          // aws-cdk-lib's validation during synth (the app sets it too).
          CDK_VALIDATION: 'false',
          FORCE_COLOR: '0',
        }),
        timeoutMs: 110_000,
      },
    );
    return { ...result, calls: t.calls.slice(mark) };
  }

  function expectExit(r: CliResult, code: number) {
    if (r.code !== code) {
      throw new Error(`cdk exited ${r.code}, not ${code}:\n${r.stderr}`);
    }
  }

  function expectChronological(events: Activity[], final: string) {
    // The CLI sorts the events it prints by Timestamp: each resource's
    // *_COMPLETE comes after its *_IN_PROGRESS, and the stack's final
    // status is the last line.
    expect(events.length).toBeGreaterThan(0);
    expect(events[events.length - 1]).toMatchObject({
      status: final,
      type: 'AWS::CloudFormation::Stack',
      logicalId: STACK,
    });
    const seen = new Map<string, string>();
    for (const e of events) {
      const before = seen.get(e.logicalId);
      if (before?.endsWith('_COMPLETE') && e.status.endsWith('_IN_PROGRESS')) {
        // Only a replacement's cleanup may follow a completion.
        expect(e.status).toMatch(
          /^(DELETE_IN_PROGRESS|UPDATE_COMPLETE_CLEANUP_IN_PROGRESS)$/,
        );
      }
      seen.set(e.logicalId, e.status);
    }
  }

  async function service() {
    const { services } = await new ECSClient(config()).send(
      new DescribeServicesCommand({
        cluster: 'cli-contract',
        services: ['web'],
      }),
    );
    return services![0];
  }

  it('cdk deploy: looks up the zones of the explicit env, deploys with a change set, waits for the service', async () => {
    const r = await cdk('deploy', '--require-approval', 'never');
    expectExit(r, 0);
    // stdout: the stack's ARN only.
    expect(r.stdout.trim()).toMatch(
      new RegExp(
        `^arn:aws:cloudformation:us-east-1:000000000000:stack/${STACK}/[0-9a-f-]{36}$`,
      ),
    );
    expect(r.stderr).toContain(`✅  ${STACK}`);
    expect(r.stderr).toContain(`${STACK}.ServiceName = web`);
    expect(r.stderr).toContain(
      `${STACK}.AvailabilityZones = ${ZONES.join(',')}`,
    );
    expectChronological(activity(r.stderr), 'CREATE_COMPLETE');

    // The availability-zones context lookup went to EC2 and was cached.
    const context = JSON.parse(
      fs.readFileSync(path.join(workDir, 'cdk.context.json'), 'utf8'),
    );
    expect(context).toEqual({
      'availability-zones:account=000000000000:region=us-east-1': ZONES,
    });
    expect(r.calls).toEqual(
      expect.arrayContaining([
        'sts GetCallerIdentity',
        'ec2 DescribeAvailabilityZones',
        'cloudformation CreateChangeSet',
        'cloudformation ExecuteChangeSet',
      ]),
    );
    // The change set was not a bootstrapped one: no S3, no AssumeRole.
    expect(r.calls.filter(c => /^(s3|sts AssumeRole)/.test(c))).toEqual([]);

    const { Stacks } = await new CloudFormationClient(config()).send(
      new DescribeStacksCommand({ StackName: STACK }),
    );
    expect(Stacks![0]).toMatchObject({
      StackId: r.stdout.trim(),
      StackStatus: 'CREATE_COMPLETE',
      Description: 'aws-sandbox contract test for the AWS CDK CLI',
    });
    const svc = await service();
    expect(svc).toMatchObject({ desiredCount: 1, runningCount: 1 });
    expect(svc.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED' }),
    ]);
    const param = await new SSMClient(config()).send(
      new GetParameterCommand({ Name: '/cli-contract/version' }),
    );
    expect(param.Parameter!.Value).toBe('1');
  });

  it('cdk diff --fail: diffs through a read-only change set it deletes again, exit 1 on differences', async () => {
    const r = await cdk('diff', '--fail', '-c', 'version=2');
    expectExit(r, 1);
    const out = r.stdout + r.stderr;
    expect(out).toContain(
      'Hold on while we create a read-only change set to get a diff with accurate replacement information',
    );
    expect(out).not.toContain('Could not create a change set');
    // Replacement comes from the change set's ResourceChange.Replacement.
    expect(out).toMatch(
      /\[~\] AWS::ECS::TaskDefinition Task Task[0-9A-F]{8} replace/,
    );
    expect(out).toMatch(
      /\[~\] AWS::ECS::Service Service\/Service Service[0-9A-F]{8}\s+├─ \[~\] DesiredCount\s+│\s+├─ \[-\] 1\s+│\s+└─ \[\+\] 2/,
    );
    expect(out).toMatch(
      /\[~\] AWS::SSM::Parameter Version Version[0-9A-F]{8}\s+└─ \[~\] Value\s+├─ \[-\] 1\s+└─ \[\+\] 2/,
    );
    expect(out).toContain('Number of stacks with differences: 1');
    // It cleared its change set's name first (DeleteChangeSet of a change
    // set that does not exist succeeds), created, read and deleted it.
    const cfnCalls = r.calls.filter(c => /ChangeSet$/.test(c));
    expect(cfnCalls).toEqual([
      'cloudformation DeleteChangeSet',
      'cloudformation CreateChangeSet',
      ...cfnCalls.slice(2, -1),
      'cloudformation DeleteChangeSet',
    ]);
    expect(
      cfnCalls
        .slice(2, -1)
        .every(c => c === 'cloudformation DescribeChangeSet'),
    ).toBe(true);
    expect(r.calls).not.toContain('cloudformation ExecuteChangeSet');
    // Left: only the first deploy's change set, which it executed.
    const cfn = new CloudFormationClient(config());
    const { Summaries } = await cfn.send(
      new ListChangeSetsCommand({ StackName: STACK }),
    );
    expect(Summaries!.map(c => [c.ChangeSetName, c.ExecutionStatus])).toEqual([
      ['cdk-deploy-change-set', 'EXECUTE_COMPLETE'],
    ]);
    expect(
      (await cfn.send(new DescribeStacksCommand({ StackName: STACK })))
        .Stacks![0].StackStatus,
    ).toBe('CREATE_COMPLETE');
  });

  it('cdk drift --fail: finds the desired count changed outside CloudFormation', async () => {
    await new ECSClient(config()).send(
      new UpdateServiceCommand({
        cluster: 'cli-contract',
        service: 'web',
        desiredCount: 3,
      }),
    );
    const r = await cdk('drift', '--fail');
    expectExit(r, 1);
    const out = r.stdout + r.stderr;
    expect(out).toContain(
      '1 resource has drifted from their expected configuration',
    );
    expect(out).toMatch(
      /Modified Resources\s+\[~\] AWS::ECS::Service Service\/Service Service[0-9A-F]{8}\s+└─ \[~\] \/DesiredCount\s+├─ \[-\] 1\s+└─ \[\+\] 3/,
    );
    expect(r.calls).toEqual(
      expect.arrayContaining([
        'cloudformation DetectStackDrift',
        'cloudformation DescribeStackDriftDetectionStatus',
        'cloudformation DescribeStackResourceDrifts',
      ]),
    );
  });

  it('cdk deploy (second): replaces the task definition, updates the service (its tasks spread over its subnets’ zones) and the parameter', async () => {
    const r = await cdk(
      'deploy',
      '--require-approval',
      'never',
      '-c',
      'version=2',
    );
    expectExit(r, 0);
    expect(r.stderr).toContain(`✅  ${STACK}`);
    const events = activity(r.stderr);
    expectChronological(events, 'UPDATE_COMPLETE');
    const task = events
      .filter(e => e.type === 'AWS::ECS::TaskDefinition')
      .map(e => e.status);
    expect(task).toEqual([
      'UPDATE_IN_PROGRESS', // requires the creation of a new physical resource
      'UPDATE_IN_PROGRESS', // Resource creation Initiated
      'UPDATE_COMPLETE',
      'DELETE_IN_PROGRESS', // the old revision, during cleanup
      'DELETE_COMPLETE',
    ]);
    expect(
      events.find(e => e.type === 'AWS::ECS::TaskDefinition')!.line,
    ).toContain(
      'Requested update requires the creation of a new physical resource; hence creating one.',
    );

    const svc = await service();
    expect(svc).toMatchObject({ desiredCount: 2, runningCount: 2 });
    expect(svc.taskDefinition).toMatch(/:2$/);
    // Fargate spreads a service's tasks over the zones of its subnets: the
    // VPC's two private subnets, one in each of the first two zones.
    const ecs = new ECSClient(config());
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'cli-contract', serviceName: 'web' }),
    );
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'cli-contract', tasks: taskArns }),
    );
    expect(svc.networkConfiguration!.awsvpcConfiguration!.subnets).toHaveLength(
      2,
    );
    expect(tasks!.map(running => running.availabilityZone).sort()).toEqual(
      ZONES.slice(0, 2),
    );
    const { taskDefinition } = await new ECSClient(config()).send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: svc.taskDefinition!,
      }),
    );
    expect(taskDefinition!.containerDefinitions![0].image).toBe(
      'public.ecr.aws/docker/library/nginx:1.2',
    );
    const param = await new SSMClient(config()).send(
      new GetParameterCommand({ Name: '/cli-contract/version' }),
    );
    expect(param.Parameter!.Value).toBe('2');
  });

  it('cdk destroy --force: deletes the stack and what it created', async () => {
    const r = await cdk('destroy', '--force', '-c', 'version=2');
    expectExit(r, 0);
    expect(r.stderr).toContain(`✅  ${STACK}: destroyed`);
    expect(r.calls).toContain('cloudformation DeleteStack');

    await expect(
      new CloudFormationClient(config()).send(
        new DescribeStacksCommand({ StackName: STACK }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: `Stack with id ${STACK} does not exist`,
    });
    const { clusters } = await new ECSClient(config()).send(
      new DescribeClustersCommand({ clusters: ['cli-contract'] }),
    );
    expect(clusters![0].status).toBe('INACTIVE');
    await expect(
      new SSMClient(config()).send(
        new GetParameterCommand({ Name: '/cli-contract/version' }),
      ),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    const { logGroups } = await new CloudWatchLogsClient(config()).send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/cli-contract' }),
    );
    expect(logGroups).toEqual([]);
  });
});
