/**
 * Node.js library of the AWS environments plugins: the CDK deploy path
 * (synthesize in-process with `@envplane/aws-environments-infra`, deploy with
 * `@aws-cdk/toolkit-lib`, report stack events) shared by the scaffolder
 * actions and the promotion workflow of the aws-environments backend.
 *
 * @packageDocumentation
 */
export { awsForEnvironment } from './aws';
export type { CredentialIdentityProvider, EnvironmentAws } from './aws';
export { AWS_CALLS_METRIC, AwsClientFactory } from './AwsClientFactory';
export type {
  AwsClientConfig,
  AwsClientConstructor,
  AwsClientFactoryOptions,
  AwsClientOptions,
  AwsClientTarget,
  AwsRequestHandlerOptions,
  PluginMetrics,
} from './AwsClientFactory';
export type {
  DeployOutcome,
  DeployRequest,
  EnvironmentDeployer,
  ResourceChange,
  StackDiffSummary,
  StackRequest,
} from './deployer';
export { CdkToolkitDeployer } from './CdkToolkitDeployer';
export {
  cleanErrorText,
  deployFailureReason,
  StackDeployError,
} from './deployError';
export type { CdkToolkitDeployerOptions } from './CdkToolkitDeployer';
export {
  deleteStackAndWait,
  describeStack,
  failingEvents,
  latestEventId,
} from './stackEvents';
export type { DeleteStackResult, FailingEvent } from './stackEvents';
export { readProvisioningOptions } from './provisioningOptions';
export type { ProvisioningOptions } from './provisioningOptions';
export { deployEnvironmentStack } from './environmentStackDeploy';
export type {
  EnvironmentStackDeployed,
  EnvironmentStackDeployFailed,
  EnvironmentStackDeployRequest,
  EnvironmentStackDeployResult,
  EnvironmentStackPlan,
} from './environmentStackDeploy';
export { assertStackOwnership } from './stackOwnership';
export { createPromotionDeployer } from './promotionDeployer';
export type {
  PromotionDeployer,
  PromotionDeployerOptions,
  PromotionDeployRequest,
  PromotionDeployResult,
  PromotionInspection,
  PromotionInspectRequest,
} from './promotionDeployer';
export { awsEnvironmentsDeployerServiceRef } from './deployerServiceRef';
