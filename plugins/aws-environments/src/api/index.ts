export { awsEnvironmentsApiRef } from './AwsEnvironmentsApi';
export type {
  AwsEnvironmentsApi,
  OverviewPageQuery,
} from './AwsEnvironmentsApi';
export { AwsEnvironmentsClient } from './AwsEnvironmentsClient';
