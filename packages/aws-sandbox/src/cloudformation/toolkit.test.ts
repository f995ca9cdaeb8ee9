/*
 * The product deploys with @aws-cdk/toolkit-lib; this runs a real deploy,
 * update and destroy of a small CDK app against the sandbox, with the
 * endpoint set only through AWS_ENDPOINT_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Toolkit, StackSelectionStrategy } from '@aws-cdk/toolkit-lib';
import type { IIoHost } from '@aws-cdk/toolkit-lib';
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import {
  GetParameterCommand,
  ParameterNotFound,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { startSandbox, RunningSandbox } from '../index';

jest.setTimeout(60_000);

const quietIoHost: IIoHost = {
  notify: async () => {},
  requestResponse: async <T>(msg: { defaultResponse: T }) =>
    msg.defaultResponse,
} as unknown as IIoHost;

function app(outdir: string, version: string, desiredCount: number) {
  const a = new cdk.App({
    outdir,
    builtinCloudFormationValidation: false,
  } as cdk.AppProps);
  const stack = new cdk.Stack(a, 'SandboxDemo', {
    synthesizer: new cdk.LegacyStackSynthesizer(),
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    restrictDefaultSecurityGroup: false,
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    clusterName: 'demo-cluster',
  });
  const logGroup = new logs.LogGroup(stack, 'Logs', {
    logGroupName: '/ecs/demo',
    removalPolicy: cdk.RemovalPolicy.DESTROY,
  });
  const td = new ecs.FargateTaskDefinition(stack, 'Task', {
    cpu: 256,
    memoryLimitMiB: 512,
  });
  td.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry(
      `public.ecr.aws/demo/app:${version}`,
    ),
    portMappings: [{ containerPort: 5000 }],
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'ecs' }),
  });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition: td,
    desiredCount,
    serviceName: 'demo-service',
    circuitBreaker: { rollback: true },
  });
  const parameter = new ssm.StringParameter(stack, 'Version', {
    parameterName: '/demo/version',
    stringValue: version,
  });
  const output = new cdk.CfnOutput(stack, 'ServiceName', {
    value: service.serviceName,
  });
  expect([parameter.node.id, output.node.id]).toEqual([
    'Version',
    'ServiceName',
  ]);
  return a.synth();
}

describe('toolkit-lib deploy against the sandbox', () => {
  let sb: RunningSandbox;
  const saved = { ...process.env };
  const actions = new Set<string>();
  const outdirs: string[] = [];

  beforeAll(async () => {
    sb = await startSandbox({
      port: 0,
      clock: 'manual',
      resourceDelayMs: 0,
      seed: 3,
      log: line => actions.add(line),
    });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sb.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      CDK_VALIDATION: 'false',
    });
    delete process.env.AWS_PROFILE;
  });

  afterAll(async () => {
    process.env = saved;
    await sb?.close();
    for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function deploy(version: string, desired: number) {
    const toolkit = new Toolkit({ ioHost: quietIoHost });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cdk-'));
    outdirs.push(outdir);
    const cx = await toolkit.fromAssemblyBuilder(
      async () => app(outdir, version, desired),
      {
        clobberEnv: false,
        resolveDefaultEnvironment: false,
      } as any,
    );
    await toolkit.deploy(cx, {
      stacks: { strategy: StackSelectionStrategy.ALL_STACKS },
    });
    return { toolkit, cx };
  }

  const config = () => ({
    endpoint: sb.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

  it('deploys, updates and destroys a CDK stack', async () => {
    await deploy('1.0.0', 2);
    const cfn = new CloudFormationClient(config());
    const stack = (
      await cfn.send(new DescribeStacksCommand({ StackName: 'SandboxDemo' }))
    ).Stacks![0];
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.Outputs).toEqual([
      expect.objectContaining({
        OutputKey: 'ServiceName',
        OutputValue: 'demo-service',
      }),
    ]);
    const events = (
      await cfn.send(
        new DescribeStackEventsCommand({ StackName: 'SandboxDemo' }),
      )
    ).StackEvents!;
    expect(events[events.length - 1]).toMatchObject({
      ResourceStatus: 'REVIEW_IN_PROGRESS',
      ResourceType: 'AWS::CloudFormation::Stack',
    });
    expect(events[0]).toMatchObject({
      ResourceStatus: 'CREATE_COMPLETE',
      LogicalResourceId: 'SandboxDemo',
    });
    const vpcEvents = events
      .filter(e => e.ResourceType === 'AWS::EC2::VPC')
      .map(e => e.ResourceStatus);
    expect(vpcEvents).toEqual([
      'CREATE_COMPLETE',
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
    ]);

    const ecsClient = new ECSClient(config());
    sb.advance(60);
    let svc = (
      await ecsClient.send(
        new DescribeServicesCommand({
          cluster: 'demo-cluster',
          services: ['demo-service'],
        }),
      )
    ).services![0];
    expect(svc).toMatchObject({ desiredCount: 2, runningCount: 2 });
    expect(svc.deployments![0].rolloutState).toBe('COMPLETED');
    const param = await new SSMClient(config()).send(
      new GetParameterCommand({ Name: '/demo/version' }),
    );
    expect(param.Parameter?.Value).toBe('1.0.0');

    // Update: new image (task definition replacement), new count, new value.
    await deploy('1.1.0', 3);
    const updated = (
      await cfn.send(new DescribeStacksCommand({ StackName: 'SandboxDemo' }))
    ).Stacks![0];
    expect(updated.StackStatus).toBe('UPDATE_COMPLETE');
    sb.advance(90);
    svc = (
      await ecsClient.send(
        new DescribeServicesCommand({
          cluster: 'demo-cluster',
          services: ['demo-service'],
        }),
      )
    ).services![0];
    expect(svc).toMatchObject({ desiredCount: 3, runningCount: 3 });
    expect(svc.taskDefinition).toMatch(/:2$/);
    const param2 = await new SSMClient(config()).send(
      new GetParameterCommand({ Name: '/demo/version' }),
    );
    expect(param2.Parameter).toMatchObject({ Value: '1.1.0', Version: 2 });

    // No-op deploy: nothing changes, stack stays UPDATE_COMPLETE.
    const { toolkit, cx } = await deploy('1.1.0', 3);

    await toolkit.destroy(cx, {
      stacks: { strategy: StackSelectionStrategy.ALL_STACKS },
    });
    await expect(
      cfn.send(new DescribeStacksCommand({ StackName: 'SandboxDemo' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(
      new SSMClient(config()).send(
        new GetParameterCommand({ Name: '/demo/version' }),
      ),
    ).rejects.toBeInstanceOf(ParameterNotFound);
    await expect(
      ecsClient.send(
        new DescribeServicesCommand({
          cluster: 'demo-cluster',
          services: ['demo-service'],
        }),
      ),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    expect([...actions].filter(a => a.startsWith('cloudformation'))).toEqual(
      expect.arrayContaining([
        'cloudformation CreateChangeSet',
        'cloudformation ExecuteChangeSet',
        'cloudformation DeleteStack',
      ]),
    );
  });
});
