/*
 * For the tests against the local AWS sandbox (see startSandboxEndpoint in
 * @internal/aws-sandbox): provisions an environment's stack the way the
 * scaffolder action does. Imports no AWS SDK mocks.
 */
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { synthesizeEnvironments } from '@envplane/aws-environments-infra';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
} from '@envplane/plugin-aws-environments-common';
import {
  CdkToolkitDeployer,
  awsForEnvironment,
} from '@envplane/plugin-aws-environments-node';
import { dirname, join } from 'node:path';

export interface DeployEnvironmentStackOptions {
  credentialsManager: AwsCredentialsManager;
  environment: AwsEnvironmentConfig;
  project: string;
  owner: string;
  image: string;
  /** The app-secret SecureString's value. */
  appSecret: string;
  /** Overwrite an app-secret that is already there. */
  overwriteSecret?: boolean;
  /** Synthesized plans go to `plan` and `deploy` below this directory. */
  outdir: string;
  logger: LoggerService;
}

/**
 * Writes the app-secret and deploys the environment's stack with two
 * tasks (at most four), as the scaffolder does.
 */
export async function deployEnvironmentStack(
  options: DeployEnvironmentStackOptions,
): Promise<void> {
  const { credentialsManager, environment, image, outdir } = options;
  const names = environmentResourceNames(options.project, environment.name);
  const aws = await awsForEnvironment(credentialsManager, environment);
  await aws.ssm.send(
    new PutParameterCommand({
      Name: names.appSecretParameterName,
      Value: options.appSecret,
      Type: 'SecureString',
      Overwrite: options.overwriteSecret,
    }),
  );
  const inputs = {
    project: options.project,
    owner: options.owner,
    image,
    desiredCount: 2,
    maxCapacity: 4,
  };
  const plan = synthesizeEnvironments(inputs, [environment], {
    outdir: join(outdir, 'plan'),
  });
  await new CdkToolkitDeployer({ pollIntervalMs: 20 }).deploy({
    environment,
    stackName: names.stackName,
    artifactId: plan.stacks[0].artifactId,
    outdir: join(outdir, 'deploy'),
    credentials: aws.credentials,
    logger: options.logger,
    synthesize: props =>
      synthesizeEnvironments(inputs, [environment], {
        outdir: props.outdir,
        context: props.context,
      }).assembly,
    parameters: { ImageUri: image, DesiredCount: '2' },
  });
}

/**
 * toolkit-lib waits a fixed 5 s between its polls of a change set (and of
 * a change set's deletion), which stackEventPollingInterval does not
 * cover. The sandbox computes a change set within 50 ms, so each toolkit
 * deployment in a test spends those 5 s idle. This makes the calls in this
 * test file poll every `intervalMs` instead; what is polled for, and when
 * it counts as done, stays toolkit-lib's. Should toolkit-lib move that
 * helper, the tests go on, at the slower pace.
 */
export function pollToolkitQuickly(intervalMs = 20): void {
  let promises: {
    waitFor?: (provider: () => Promise<unknown>, timeout?: number) => unknown;
  };
  try {
    const lib = require.resolve('@aws-cdk/toolkit-lib', {
      paths: [
        dirname(
          require.resolve(
            '@envplane/plugin-aws-environments-node/package.json',
          ),
        ),
      ],
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    promises = require(join(dirname(lib), 'util', 'promises'));
  } catch {
    return;
  }
  const waitFor = promises.waitFor;
  if (typeof waitFor !== 'function') {
    return;
  }
  jest
    .spyOn(promises as Required<typeof promises>, 'waitFor')
    .mockImplementation(provider => waitFor(provider, intervalMs));
}
