/**
 * The seed's naming convention, `${project}-${environment}-${resource}`,
 * in one place: the CDK stacks name resources with it and the backend finds
 * them with it.
 */

/** Project names become part of AWS names (ECS clusters allow 255, IAM roles 64, ALBs 32). */
export const PROJECT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/**
 * Why a project name cannot be used (it becomes part of AWS resource
 * names), or undefined when it can.
 *
 * @public
 */
export function validateProjectName(project: string): string | undefined {
  if (!PROJECT_NAME_PATTERN.test(project)) {
    return 'must be 3 to 20 characters: lowercase letters, digits and dashes, starting with a letter and not ending with a dash';
  }
  if (project.includes('--')) {
    return 'must not contain two dashes in a row';
  }
  return undefined;
}

/**
 * The names of the AWS resources of one (project, environment).
 *
 * @public
 */
export interface EnvironmentResourceNames {
  /** CloudFormation stack, `<project>-<environment>`. */
  stackName: string;
  /** Name tag of the VPC. */
  vpcName: string;
  /** ECS cluster. */
  clusterName: string;
  /** ECS service. */
  serviceName: string;
  /** ECS task definition family. */
  taskFamily: string;
  /** The application's container in the task definition. */
  containerName: string;
  /** Security group of the tasks. */
  securityGroupName: string;
  /** Application Load Balancer. */
  albName: string;
  /** CloudWatch log group of the containers. */
  logGroupName: string;
  /** IAM role of the application. */
  taskRoleName: string;
  /** IAM role ECS starts the tasks with. */
  executionRoleName: string;
  /** SSM parameter path of the application, with leading and trailing slash. */
  parameterPath: string;
  /** SSM SecureString the application reads as `APP_SECRET`. */
  appSecretParameterName: string;
}

/**
 * The names of the AWS resources of one (project, environment), by the
 * seed's naming convention.
 *
 * @public
 */
export function environmentResourceNames(
  project: string,
  environment: string,
): EnvironmentResourceNames {
  const prefix = `${project}-${environment}`;
  return {
    stackName: prefix,
    vpcName: `${prefix}-vpc`,
    clusterName: `${prefix}-ecs-cluster`,
    serviceName: `${prefix}-service`,
    taskFamily: `${prefix}-task`,
    containerName: 'app',
    securityGroupName: `${prefix}-ecs-tasks-sg`,
    albName: `${prefix}-alb`,
    logGroupName: `/ecs/${prefix}`,
    taskRoleName: `${prefix}-ecs-task-role`,
    executionRoleName: `${prefix}-ecs-execution-role`,
    parameterPath: `/${project}/${environment}/`,
    appSecretParameterName: `/${project}/${environment}/app-secret`,
  };
}

/** The ARN partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function awsPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
