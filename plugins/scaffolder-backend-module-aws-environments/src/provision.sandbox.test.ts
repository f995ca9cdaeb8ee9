/*
 * End to end: the real action, the real toolkit-lib deployer and the real
 * SDK clients against the local AWS sandbox, reached only through
 * AWS_ENDPOINT_URL like any other endpoint.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import { resolve } from 'node:path';
import { createProvisionAction } from './actions/provision';
import {
  actionContext,
  captureLogger,
  SEED_CONFIG,
} from './__testUtils__/fixtures';

const CANARY = 'sandbox-canary-5d1c0b7e';

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

describe('aws:environments:provision against the sandbox', () => {
  let sandbox: SandboxEndpoint;

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({
      resourceDelayMs: 2,
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  function action() {
    const config = new ConfigReader({
      ...SEED_CONFIG,
      awsEnvironments: {
        ...SEED_CONFIG.awsEnvironments,
        provisioning: { concurrency: 2, pollIntervalMs: 50 },
      },
    });
    return createProvisionAction({
      config,
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    });
  }

  async function attempt(input: Record<string, unknown>) {
    const logger = captureLogger();
    const ctx = actionContext({
      input: {
        project: 'devops-app',
        owner: 'group:default/devops-team',
        image: 'public.ecr.aws/docker/library/python:3.12-slim',
        ...input,
      },
      secrets: { appSecret: CANARY },
      logger,
    });
    const error = await action()
      .handler(ctx)
      .then(
        () => undefined,
        e => e as Error,
      );
    return { error, logger };
  }

  async function run(input: Record<string, unknown>) {
    const logger = captureLogger();
    const ctx = actionContext({
      input: {
        project: 'devops-app',
        owner: 'group:default/devops-team',
        environments: ['test', 'qa'],
        ...input,
      },
      secrets: { appSecret: CANARY },
      logger,
    });
    try {
      await action().handler(ctx);
    } catch (error) {
      throw new Error(`${error}\n--- log ---\n${logger.lines.join('\n')}`);
    }
    const outputs = Object.fromEntries(ctx.output.mock.calls);
    return { logger, outputs };
  }

  async function stackIds(cfn: CloudFormationClient) {
    const ids: Record<string, string | undefined> = {};
    for (const name of ['devops-app-test', 'devops-app-qa']) {
      const { Stacks } = await cfn.send(
        new DescribeStacksCommand({ StackName: name }),
      );
      ids[name] = Stacks?.[0]?.StackId;
    }
    return ids;
  }

  it('creates two environments, then updates them in place on a re-run', async () => {
    const cfn = new CloudFormationClient({ region: 'us-east-1' });
    const ssm = new SSMClient({ region: 'us-east-1' });

    const first = await run({
      image: 'public.ecr.aws/docker/library/python:3.12-slim',
    });
    expect(
      first.outputs.environments.map((e: any) => [
        e.name,
        e.status,
        e.operation,
      ]),
    ).toEqual([
      ['test', 'CREATE_COMPLETE', 'create'],
      ['qa', 'CREATE_COMPLETE', 'create'],
    ]);
    expect(first.logger.lines.join('\n')).toMatch(/resource \d+ of \d+/);

    for (const env of ['test', 'qa']) {
      const { Parameter } = await ssm.send(
        new GetParameterCommand({
          Name: `/devops-app/${env}/app-secret`,
          WithDecryption: true,
        }),
      );
      expect(Parameter?.Type).toBe('SecureString');
      expect(Parameter?.Value).toBe(CANARY);
    }

    const idsBefore = await stackIds(cfn);
    expect(Object.keys(idsBefore)).toEqual([
      'devops-app-test',
      'devops-app-qa',
    ]);

    const second = await run({
      image: 'public.ecr.aws/docker/library/python:3.13-slim',
    });
    expect(
      second.outputs.environments.map((e: any) => [
        e.name,
        e.status,
        e.operation,
      ]),
    ).toEqual([
      ['test', 'UPDATE_COMPLETE', 'update'],
      ['qa', 'UPDATE_COMPLETE', 'update'],
    ]);

    // Same stack ids after the re-run: updated in place, not recreated.
    const idsAfter = await stackIds(cfn);
    expect(idsAfter).toEqual(idsBefore);
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: 'devops-app-test' }),
    );
    expect(
      Stacks?.[0].Parameters?.find(p => p.ParameterKey === 'ImageUri')
        ?.ParameterValue,
    ).toBe('public.ecr.aws/docker/library/python:3.13-slim');

    for (const { logger, outputs } of [first, second]) {
      expect(logger.lines.join('\n')).not.toContain(CANARY);
      expect(JSON.stringify(outputs)).not.toContain(CANARY);
    }
  });

  it('reports the failing resource and removes the SecureString when a create rolls back', async () => {
    const ssm = new SSMClient({ region: 'us-east-1' });
    sandbox.addFault({
      type: 'resourceFailure',
      stackName: 'broken-app-staging',
      resourceType: 'AWS::ECS::Cluster',
      message: 'Simulated: cluster quota exceeded',
    });
    try {
      const { error, logger } = await attempt({
        project: 'broken-app',
        environments: ['staging'],
      });
      expect(error?.message).toContain('Provisioning failed for staging');
      expect(error?.message).toMatch(
        /\(AWS::ECS::Cluster\) CREATE_FAILED: Simulated: cluster quota exceeded/,
      );
      expect(error?.message).toContain(
        'removed /broken-app/staging/app-secret, which this run had created',
      );
      expect(error?.message).not.toContain(CANARY);
      // The environment, the stack's final status and the failing resource
      // with CloudFormation's reason, and nothing of toolkit-lib's noise.
      expect(error?.message).toBe(
        [
          'Provisioning failed for staging:',
          'staging: broken-app-staging ROLLBACK_COMPLETE; removed /broken-app/staging/app-secret, which this run had created:',
          'AppCluster68CC0559 (AWS::ECS::Cluster) CREATE_FAILED: Simulated: cluster quota exceeded',
        ].join('\n'),
      );
      expectClean(error?.message ?? '');
      const errorLines = logger.lines.filter(l => l.startsWith('error '));
      expect(errorLines.length).toBeGreaterThan(0);
      expectClean(errorLines.join('\n'));
      expect(logger.lines.join('\n')).toMatch(
        /resource \d+ of \d+: \S+ \(AWS::ECS::Cluster\) CREATE_FAILED/,
      );
      await expect(
        ssm.send(
          new GetParameterCommand({ Name: '/broken-app/staging/app-secret' }),
        ),
      ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    } finally {
      sandbox.clearFaults();
    }
  });
});
