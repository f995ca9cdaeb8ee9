/**
 * The seed's naming convention, `${project}-${environment}-${resource}`,
 * in one place: the CDK stacks name resources with it and the backend finds
 * them with it.
 */

/** Project names become part of AWS names (ECS clusters allow 255, IAM roles 64, ALBs 32). */
export const PROJECT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

export function validateProjectName(project: string): string | undefined {
  if (!PROJECT_NAME_PATTERN.test(project)) {
    return 'must be 3 to 20 characters: lowercase letters, digits and dashes, starting with a letter and not ending with a dash';
  }
  if (project.includes('--')) {
    return 'must not contain two dashes in a row';
  }
  return undefined;
}

export interface EnvironmentResourceNames {
  stackName: string;
  vpcName: string;
  clusterName: string;
  serviceName: string;
  taskFamily: string;
  containerName: string;
  securityGroupName: string;
  albName: string;
  logGroupName: string;
  taskRoleName: string;
  executionRoleName: string;
  parameterPath: string;
  appSecretParameterName: string;
}

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
