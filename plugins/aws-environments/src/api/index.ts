export { awsEnvironmentsApiRef } from './AwsEnvironmentsApi';
export type { AwsEnvironmentsApi } from './AwsEnvironmentsApi';
export { AwsEnvironmentsClient } from './AwsEnvironmentsClient';
