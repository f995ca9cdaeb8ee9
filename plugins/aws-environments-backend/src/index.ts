/**
 * Backend for the AWS environments plugins: per-environment ECS health, SSM
 * parameter metadata, CloudWatch metrics and logs of catalog entities.
 *
 * @packageDocumentation
 */
export { awsEnvironmentsPlugin as default } from './plugin';
export { awsEnvironmentsServiceRef } from './service/awsEnvironmentsServiceRef';
export type {
  AwsEnvironmentsService,
  ProjectStatusRequest,
} from './service/AwsEnvironmentsService';
export type { StatusOptions } from './statusOptions';
