/**
 * Backend for the AWS environments plugins: per-environment ECS health, SSM
 * parameter metadata, CloudWatch metrics and logs of catalog entities, and
 * the promotion of images from one environment to the next.
 *
 * @packageDocumentation
 */
export { awsEnvironmentsPlugin as default } from './plugin';
export { awsEnvironmentsServiceRef } from './service/awsEnvironmentsServiceRef';
export type {
  AwsEnvironmentsService,
  ProjectLogsRequest,
  ProjectStatusRequest,
  SummaryMetricsRequest,
} from './service/AwsEnvironmentsService';
export type { StatusDetail } from './service/EnvironmentStatusCollector';
export type { StatusOptions } from './statusOptions';
export {
  createPromotionConditionalDecision,
  promotionConditions,
} from './promotions';
export type { PromotionQuery } from './promotions';
