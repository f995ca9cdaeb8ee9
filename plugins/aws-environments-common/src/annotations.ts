/*
 * Annotation keys. A Component carries the project annotation (and
 * optionally the environments it runs in); each `aws-environment` Resource
 * carries the resolved AWS identifiers of one (project, environment), for
 * display and for tools that read annotations. The backend never trusts
 * identifiers from a request: it derives them from these annotations and
 * `awsEnvironments` config through the naming functions in `naming.ts`.
 */

/**
 * The project an entity belongs to. Components that carry it get the
 * Environments tab.
 *
 * @public
 */
export const ANNOTATION_PROJECT = 'aws-environments.io/project';
/**
 * Comma-separated environment names; absent means every configured environment.
 *
 * @public
 */
export const ANNOTATION_ENVIRONMENTS = 'aws-environments.io/environments';
/**
 * On an `aws-environment` Resource: its environment name.
 *
 * @public
 */
export const ANNOTATION_ENVIRONMENT = 'aws-environments.io/environment';
/**
 * On an `aws-environment` Resource: the AWS account id of the environment.
 *
 * @public
 */
export const ANNOTATION_ACCOUNT_ID = 'aws-environments.io/account-id';
/**
 * On an `aws-environment` Resource: the AWS region of the environment.
 *
 * @public
 */
export const ANNOTATION_REGION = 'aws-environments.io/region';
/**
 * On an `aws-environment` Resource: the CloudFormation stack name.
 *
 * @public
 */
export const ANNOTATION_STACK_NAME = 'aws-environments.io/stack-name';
/**
 * On an `aws-environment` Resource: the ECS cluster name.
 *
 * @public
 */
export const ANNOTATION_CLUSTER_NAME = 'aws-environments.io/ecs-cluster';
/**
 * On an `aws-environment` Resource: the ECS service name.
 *
 * @public
 */
export const ANNOTATION_SERVICE_NAME = 'aws-environments.io/ecs-service';
/**
 * On an `aws-environment` Resource: the CloudWatch log group of the containers.
 *
 * @public
 */
export const ANNOTATION_LOG_GROUP = 'aws-environments.io/log-group';
/**
 * On an `aws-environment` Resource: the SSM parameter path of the application.
 *
 * @public
 */
export const ANNOTATION_PARAMETER_PATH =
  'aws-environments.io/ssm-parameter-path';
/**
 * The annotation AWS's ECS plugin for Backstage reads, so that plugin works
 * on the same entities.
 *
 * @public
 */
export const ANNOTATION_AWS_ECS_SERVICE_ARN =
  'aws.amazon.com/amazon-ecs-service-arn';

/**
 * The Resource spec.type used for one provisioned environment.
 *
 * @public
 */
export const RESOURCE_TYPE_AWS_ENVIRONMENT = 'aws-environment';
