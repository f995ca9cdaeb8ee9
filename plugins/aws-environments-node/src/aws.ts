import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';

/**
 * The AWS SDK's credential provider, as `@backstage/integration-aws-node`
 * hands it out.
 *
 * @public
 */
export type CredentialIdentityProvider =
  AwsCredentialProvider['sdkCredentialProvider'];

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

/**
 * Account and region always come from `awsEnvironments` config, never from
 * the task input. No endpoint is set here: the SDK (and toolkit-lib) read
 * AWS_ENDPOINT_URL themselves, which is how a local sandbox is reached.
 *
 * @public
 */
export async function awsForEnvironment(
  credentialsManager: AwsCredentialsManager,
  environment: AwsEnvironmentConfig,
): Promise<EnvironmentAws> {
  const { sdkCredentialProvider } =
    await credentialsManager.getCredentialProvider({
      accountId: environment.accountId,
    });
  const clientConfig = {
    region: environment.region,
    credentials: sdkCredentialProvider,
  };
  return {
    cloudFormation: new CloudFormationClient(clientConfig),
    ssm: new SSMClient(clientConfig),
    credentials: sdkCredentialProvider,
    region: environment.region,
    accountId: environment.accountId,
  };
}

/**
 * The AWS console's host name for a region, in its partition.
 *
 * @public
 */
export function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}
