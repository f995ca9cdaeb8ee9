/**
 * Catalog module that adds the projects provisioned with the AWS
 * environments plugins, found from their CloudFormation stacks.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsEnvironments as default } from './module';
export { AwsEnvironmentsEntityProvider } from './AwsEnvironmentsEntityProvider';
export type { CloudFormationClientFactory } from './AwsEnvironmentsEntityProvider';
