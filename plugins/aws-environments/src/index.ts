/**
 * Frontend for the AWS environments plugins: the Environments tab (ECS task
 * health, SSM parameter metadata, CloudWatch metrics and logs per
 * environment). These are the legacy frontend system exports; the new
 * frontend system plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  awsEnvironmentsPlugin,
  AwsEnvironmentsCostEstimateFieldExtension,
  AwsEnvironmentsPage,
  EntityAwsEnvironmentsContent,
  EntitySystemEnvironmentsCard,
} from './plugin';
export { isAwsEnvironmentsAvailable } from './isAwsEnvironmentsAvailable';
export { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
export type { AwsEnvironmentsApi, OverviewPageQuery } from './api';
