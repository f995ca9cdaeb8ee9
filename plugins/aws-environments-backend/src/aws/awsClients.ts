import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  AwsClientFactory,
  AwsClientTarget,
} from '@envplane/plugin-aws-environments-node';

/** The SDK clients the status readers use, for one (account, region). */
export interface AwsClients {
  ecs: ECSClient;
  ssm: SSMClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  autoscaling: ApplicationAutoScalingClient;
  cloudformation: CloudFormationClient;
}

/** The readers' clients for an account and region, from the shared factory. */
export async function awsClients(
  factory: AwsClientFactory,
  target: AwsClientTarget,
): Promise<AwsClients> {
  const [ecs, ssm, cloudwatch, logs, autoscaling, cloudformation] =
    await Promise.all([
      factory.client(ECSClient, target),
      factory.client(SSMClient, target),
      factory.client(CloudWatchClient, target),
      factory.client(CloudWatchLogsClient, target),
      factory.client(ApplicationAutoScalingClient, target),
      factory.client(CloudFormationClient, target),
    ]);
  return { ecs, ssm, cloudwatch, logs, autoscaling, cloudformation };
}

/**
 * The Price List API is served from us-east-1 (and eu-central-1 and
 * ap-south-1) only, whatever region the prices are for.
 */
export const PRICING_REGION = 'us-east-1';

/** The Price List client, with an account's credentials, from the factory. */
export function pricingClient(
  factory: AwsClientFactory,
  accountId: string,
): Promise<PricingClient> {
  return factory.client(PricingClient, { accountId, region: PRICING_REGION });
}
