import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import {
  AwsClientFactory,
  CredentialIdentityProvider,
} from './AwsClientFactory';

export type { CredentialIdentityProvider } from './AwsClientFactory';

/**
 * SDK clients and credentials for one environment's account and region.
 *
 * @public
 */
export interface EnvironmentAws {
  /** CloudFormation client of the environment's account and region. */
  cloudFormation: CloudFormationClient;
  /** SSM client of the environment's account and region. */
  ssm: SSMClient;
  /** Credentials of the environment's account. */
  credentials: CredentialIdentityProvider;
  /** The environment's region. */
  region: string;
  /** The environment's account. */
  accountId: string;
}

/** One factory per credentials manager, so its callers share clients. */
const factories = new WeakMap<AwsCredentialsManager, AwsClientFactory>();

/**
 * Account and region always come from `awsEnvironments` config, never from
 * the task input. The clients come from an {@link AwsClientFactory} kept
 * per credentials manager, with its retry, timeout and caching policy.
 *
 * @public
 */
export async function awsForEnvironment(
  credentialsManager: AwsCredentialsManager,
  environment: AwsEnvironmentConfig,
): Promise<EnvironmentAws> {
  let factory = factories.get(credentialsManager);
  if (!factory) {
    factory = new AwsClientFactory({ credentialsManager });
    factories.set(credentialsManager, factory);
  }
  const [credentials, cloudFormation, ssm] = await Promise.all([
    factory.credentials(environment.accountId),
    factory.client(CloudFormationClient, environment),
    factory.client(SSMClient, environment),
  ]);
  return {
    cloudFormation,
    ssm,
    credentials,
    region: environment.region,
    accountId: environment.accountId,
  };
}
