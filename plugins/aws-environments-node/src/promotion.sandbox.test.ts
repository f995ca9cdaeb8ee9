/*
 * End to end: an environment provisioned through the CDK deploy path, then
 * promoted by createPromotionDeployer with the real toolkit-lib deployer and
 * SDK clients against the local AWS sandbox, reached only through
 * AWS_ENDPOINT_URL like any other endpoint.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { synthesizeEnvironments } from '@envplane/aws-environments-infra';
import {
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import { join, resolve } from 'node:path';
import { captureLogger } from './__testUtils__/captureLogger';
import { awsForEnvironment } from './aws';
import { createPromotionDeployer } from './promotionDeployer';
import { CdkToolkitDeployer } from './CdkToolkitDeployer';

const PROJECT = 'shop-app';
const ENVIRONMENT = 'qa';
const names = environmentResourceNames(PROJECT, ENVIRONMENT);

const config = new ConfigReader({
  awsEnvironments: {
    environments: [
      ['test', '10.3.0.0/16'],
      ['qa', '10.1.0.0/16'],
    ].map(([name, vpcCidr]) => ({
      name,
      title: name,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcCidr,
      promotion: { trigger: 'manual', reviewRequired: false },
    })),
    provisioning: { pollIntervalMs: 50 },
  },
});

jest.setTimeout(180_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** No file path, emoji, ANSI escape, source location or stack frame. */
function expectClean(text: string) {
  expect(text).not.toContain(REPO_ROOT);
  expect(text).not.toMatch(/node_modules|\.(?:[cm]?[jt]s):\d+/);
  expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
  expect(text).not.toContain('\u001b');
  expect(text).not.toContain('Source Location');
  expect(text).not.toMatch(/^\s*at /m);
}

describe('createPromotionDeployer against the sandbox', () => {
  let sandbox: SandboxEndpoint;

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({
      resourceDelayMs: 0,
      workDirPrefix: 'aws-env-node-test-',
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const credentialsManager = () =>
    DefaultAwsCredentialsManager.fromConfig(config);

  /** Provisions the environment as the scaffolder action does. */
  async function provision(image: string) {
    const environment = readAwsEnvironments(config).find(
      e => e.name === ENVIRONMENT,
    )!;
    const aws = await awsForEnvironment(credentialsManager(), environment);
    // The service's tasks read this SecureString; the action writes it first.
    await aws.ssm.send(
      new PutParameterCommand({
        Name: names.appSecretParameterName,
        Value: 'sandbox-secret',
        Type: 'SecureString',
      }),
    );
    const inputs = {
      project: PROJECT,
      owner: 'group:default/shop-team',
      description: 'The shop',
      image,
      desiredCount: 2,
      maxCapacity: 4,
    };
    const plan = synthesizeEnvironments(inputs, [environment], {
      outdir: join(sandbox.workDir, 'plan'),
    });
    const logger = captureLogger();
    await new CdkToolkitDeployer({ pollIntervalMs: 50 }).deploy({
      environment,
      stackName: names.stackName,
      artifactId: plan.stacks[0].artifactId,
      outdir: join(sandbox.workDir, 'deploy'),
      credentials: aws.credentials,
      logger,
      synthesize: props =>
        synthesizeEnvironments(inputs, [environment], {
          outdir: props.outdir,
          context: props.context,
        }).assembly,
      parameters: { ImageUri: image, DesiredCount: '2' },
    });
    return logger;
  }

  /**
   * One ECS call over the sandbox's wire protocol. This package has no ECS
   * client (it never calls ECS itself); the sandbox reads the service from
   * the SigV4 credential scope and does not verify signatures.
   */
  async function ecs<T>(operation: string, input: object): Promise<T> {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDSANDBOX/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(input),
    });
    if (!response.ok) {
      throw new Error(
        `${operation}: ${response.status} ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }

  /** The image the ECS service's current task definition runs. */
  async function runningImage(): Promise<string | undefined> {
    const { services } = await ecs<{
      services: Array<{ taskDefinition: string }>;
    }>('DescribeServices', {
      cluster: names.clusterName,
      services: [names.serviceName],
    });
    const { taskDefinition } = await ecs<{
      taskDefinition: { containerDefinitions: Array<{ image: string }> };
    }>('DescribeTaskDefinition', {
      taskDefinition: services[0].taskDefinition,
    });
    return taskDefinition.containerDefinitions[0].image;
  }

  async function stackParameters() {
    const cfn = new CloudFormationClient({ region: 'us-east-1' });
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: names.stackName }),
    );
    return {
      status: Stacks?.[0].StackStatus,
      parameters: Object.fromEntries(
        (Stacks?.[0].Parameters ?? []).map(p => [
          p.ParameterKey,
          p.ParameterValue,
        ]),
      ),
    };
  }

  it('deploys the new image through the stack, and rolls back a failure to the old one', async () => {
    await provision('registry.example.com/app:1.0.0');
    expect(await runningImage()).toBe('registry.example.com/app:1.0.0');

    const logger = captureLogger();
    const deployer = createPromotionDeployer({
      config,
      credentialsManager: credentialsManager(),
      logger,
    });

    // toolkit-lib streams the events newer than the change set; on the
    // manual clock all would share one timestamp unless time moves on.
    sandbox.advance(60);
    const progress: string[] = [];
    const promoted = await deployer.deploy({
      project: PROJECT,
      environment: ENVIRONMENT,
      image: 'registry.example.com/app:2.0.0',
      promotionId: 'p-1',
      onProgress: line => progress.push(line),
    });
    expect(promoted).toEqual({ ok: true });
    expect(await runningImage()).toBe('registry.example.com/app:2.0.0');
    expect(await stackParameters()).toEqual({
      status: 'UPDATE_COMPLETE',
      // The desired count the stack had is kept.
      parameters: {
        ImageUri: 'registry.example.com/app:2.0.0',
        DesiredCount: '2',
      },
    });
    expect(progress[0]).toBe(
      `qa: deploying registry.example.com/app:2.0.0 to shop-app-qa (running registry.example.com/app:1.0.0)`,
    );
    expect(progress.join('\n')).toMatch(
      /qa: resource \d+ of \d+: \S+ \(AWS::ECS::TaskDefinition\) UPDATE_COMPLETE/,
    );

    // Only this deployment's events: nothing of the creation.
    expect(progress.join('\n')).not.toMatch(/CREATE_/);
    // What a backend that restarted meanwhile would find.
    await expect(
      deployer.inspect!({
        project: PROJECT,
        environment: ENVIRONMENT,
        image: 'registry.example.com/app:2.0.0',
      }),
    ).resolves.toEqual({ state: 'succeeded' });

    sandbox.advance(60);
    sandbox.addFault({
      type: 'resourceFailure',
      stackName: names.stackName,
      resourceType: 'AWS::ECS::TaskDefinition',
      message: 'Simulated: image manifest not found',
    });
    const failedProgress: string[] = [];
    const failed = await deployer.deploy({
      project: PROJECT,
      environment: ENVIRONMENT,
      image: 'registry.example.com/app:3.0.0',
      promotionId: 'p-2',
      onProgress: line => failedProgress.push(line),
    });
    sandbox.clearFaults();
    expect(failed.ok).toBe(false);
    const reason = failed.ok ? '' : failed.reason;
    expect(reason).toContain(
      'deploying registry.example.com/app:3.0.0 to shop-app-qa failed (UPDATE_ROLLBACK_COMPLETE); rolled back, qa keeps running registry.example.com/app:2.0.0',
    );
    expect(reason).toMatch(
      /\(AWS::ECS::TaskDefinition\) UPDATE_FAILED: Simulated: image manifest not found/,
    );
    expectClean(reason);
    expectClean(failedProgress.join('\n'));
    expect(failedProgress.join('\n')).toMatch(
      /resource \d+ of \d+: \S+ \(AWS::ECS::TaskDefinition\) UPDATE_FAILED/,
    );
    expect(failedProgress.join('\n')).not.toMatch(/CREATE_/);
    expect(await runningImage()).toBe('registry.example.com/app:2.0.0');
    expect((await stackParameters()).parameters.ImageUri).toBe(
      'registry.example.com/app:2.0.0',
    );
    const inspected = await deployer.inspect!({
      project: PROJECT,
      environment: ENVIRONMENT,
      image: 'registry.example.com/app:3.0.0',
    });
    expect(inspected).toMatchObject({ state: 'failed' });
    expect(inspected.state === 'failed' ? inspected.reason : '').toMatch(
      /^the backend restarted during the deployment; shop-app-qa is UPDATE_ROLLBACK_COMPLETE; the stack still runs registry.example.com\/app:2.0.0:\n.*\(AWS::ECS::TaskDefinition\) UPDATE_FAILED: Simulated: image manifest not found/,
    );
  });
});
