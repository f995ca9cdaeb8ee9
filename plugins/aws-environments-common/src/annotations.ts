/**
 * Annotation keys. A Component carries the project annotation (and
 * optionally the environments it runs in); each `aws-environment` Resource
 * carries the resolved AWS identifiers of one (project, environment), for
 * display and for tools that read annotations. The backend never trusts
 * identifiers from a request: it derives them from these annotations and
 * `awsEnvironments` config through the naming functions in `naming.ts`.
 */
export const ANNOTATION_PROJECT = 'aws-environments.io/project';
/** Comma-separated environment names; absent means every configured environment. */
export const ANNOTATION_ENVIRONMENTS = 'aws-environments.io/environments';
/** On an `aws-environment` Resource: its environment name. */
export const ANNOTATION_ENVIRONMENT = 'aws-environments.io/environment';
export const ANNOTATION_ACCOUNT_ID = 'aws-environments.io/account-id';
export const ANNOTATION_REGION = 'aws-environments.io/region';
export const ANNOTATION_STACK_NAME = 'aws-environments.io/stack-name';
export const ANNOTATION_CLUSTER_NAME = 'aws-environments.io/ecs-cluster';
export const ANNOTATION_SERVICE_NAME = 'aws-environments.io/ecs-service';
export const ANNOTATION_LOG_GROUP = 'aws-environments.io/log-group';
export const ANNOTATION_PARAMETER_PATH =
  'aws-environments.io/ssm-parameter-path';
/**
 * The annotation AWS's ECS plugin for Backstage reads, so that plugin works
 * on the same entities.
 */
export const ANNOTATION_AWS_ECS_SERVICE_ARN =
  'aws.amazon.com/amazon-ecs-service-arn';

/** The Resource spec.type used for one provisioned environment. */
export const RESOURCE_TYPE_AWS_ENVIRONMENT = 'aws-environment';
