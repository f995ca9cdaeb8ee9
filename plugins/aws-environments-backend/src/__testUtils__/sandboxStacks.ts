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
import { join } from 'node:path';

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
