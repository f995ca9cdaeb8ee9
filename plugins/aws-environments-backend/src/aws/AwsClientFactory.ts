import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

/** The SDK clients for one (account, region). */
export interface AwsClients {
  ecs: ECSClient;
  ssm: SSMClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  autoscaling: ApplicationAutoScalingClient;
  cloudformation: CloudFormationClient;
}

export interface AwsClientFactoryOptions {
  credentialsManager: AwsCredentialsManager;
  /** Socket-level limits of one HTTP request; the environment budget is separate. */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/**
 * Builds SDK clients per (account, region) with credentials from the `aws`
 * config section (@backstage/integration-aws-node) and keeps them: clients
 * hold connection pools and credential caches worth reusing.
 *
 * No endpoint is ever set here. Local runs reach the sandbox through the
 * SDK's own `AWS_ENDPOINT_URL` environment variable, so this code cannot
 * tell the sandbox from AWS.
 */
export class AwsClientFactory {
  private readonly clients = new Map<string, Promise<AwsClients>>();

  static fromConfig(
    config: Config,
    options: Omit<AwsClientFactoryOptions, 'credentialsManager'> = {},
  ): AwsClientFactory {
    return new AwsClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      ...options,
    });
  }

  constructor(private readonly options: AwsClientFactoryOptions) {}

  forAccount(accountId: string, region: string): Promise<AwsClients> {
    const key = `${accountId}/${region}`;
    let clients = this.clients.get(key);
    if (!clients) {
      clients = this.create(accountId, region);
      // A failed credential lookup (say, a role not yet configured) must be
      // retried on the next request rather than remembered.
      clients.catch(() => this.clients.delete(key));
      this.clients.set(key, clients);
    }
    return clients;
  }

  private async create(accountId: string, region: string): Promise<AwsClients> {
    const { sdkCredentialProvider } =
      await this.options.credentialsManager.getCredentialProvider({
        accountId,
      });
    const common = {
      region,
      credentials: sdkCredentialProvider,
      // Bounded retries with the SDK's standard backoff: a throttled API
      // gets two more chances, then the source reports THROTTLED.
      maxAttempts: 3,
      retryMode: 'standard',
      requestHandler: {
        requestTimeout: this.options.requestTimeoutMs ?? 5000,
        connectionTimeout: this.options.connectionTimeoutMs ?? 2000,
      },
    };
    return {
      ecs: new ECSClient(common),
      ssm: new SSMClient(common),
      cloudwatch: new CloudWatchClient(common),
      logs: new CloudWatchLogsClient(common),
      autoscaling: new ApplicationAutoScalingClient(common),
      cloudformation: new CloudFormationClient(common),
    };
  }
}
