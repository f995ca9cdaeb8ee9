import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_AWS_ECS_SERVICE_ARN,
  ANNOTATION_CLUSTER_NAME,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_LOG_GROUP,
  ANNOTATION_PARAMETER_PATH,
  ANNOTATION_PROJECT,
  ANNOTATION_REGION,
  ANNOTATION_SERVICE_NAME,
  ANNOTATION_STACK_NAME,
  RESOURCE_TYPE_AWS_ENVIRONMENT,
} from './annotations';
import { AwsEnvironmentConfig } from './config';
import { awsPartition, environmentResourceNames } from './naming';

/**
 * What {@link buildProjectEntities} builds the entities of a project from.
 *
 * @public
 */
export interface ProjectEntitiesInput {
  /** The project name; names the System and the Component. */
  project: string;
  /** Owner entity ref, e.g. `group:default/devops-team`. */
  owner: string;
  /** Description of the System and the Component. */
  description?: string;
  /** The environments this run provisioned (config entries). */
  environments: AwsEnvironmentConfig[];
  /** Entity namespace. Default `default`. */
  namespace?: string;
}

/**
 * `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>` (long ARN format).
 *
 * @public
 */
export function ecsServiceArn(
  environment: AwsEnvironmentConfig,
  clusterName: string,
  serviceName: string,
): string {
  return `arn:${awsPartition(environment.region)}:ecs:${environment.region}:${
    environment.accountId
  }:service/${clusterName}/${serviceName}`;
}

/**
 * The catalog entities of a provisioned project: a System and a Component
 * named after the project and one `aws-environment` Resource per
 * environment, carrying the AWS identifiers as annotations. Everything is
 * derived from the project name and config (the naming convention), so the
 * result is the same before and after a deploy and an entity provider can
 * rebuild it from stacks it finds.
 *
 * @public
 */
export function buildProjectEntities(input: ProjectEntitiesInput): Entity[] {
  const namespace = input.namespace ?? 'default';
  const { project, owner } = input;
  const systemRef = stringifyEntityRef({
    kind: 'system',
    namespace,
    name: project,
  });
  const componentRef = stringifyEntityRef({
    kind: 'component',
    namespace,
    name: project,
  });
  const resourceName = (env: string) => `${project}-${env}`;
  const resourceRefs = input.environments.map(env =>
    stringifyEntityRef({
      kind: 'resource',
      namespace,
      name: resourceName(env.name),
    }),
  );
  const description =
    input.description ?? `${project}, provisioned on AWS from Backstage`;

  const environments = input.environments.map(e => e.name).join(',');
  const system: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: project,
      namespace,
      description,
      // The environments too: without them the system would stand for all
      // configured ones, and the status snapshots and drift checks, which
      // take every environment any entity names, would read environments
      // the project was never provisioned in.
      annotations: {
        [ANNOTATION_PROJECT]: project,
        [ANNOTATION_ENVIRONMENTS]: environments,
      },
    },
    spec: { owner },
  };

  const component: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: project,
      namespace,
      description,
      annotations: {
        [ANNOTATION_PROJECT]: project,
        [ANNOTATION_ENVIRONMENTS]: environments,
      },
      tags: ['aws', 'ecs', 'fargate'],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner,
      system: systemRef,
      dependsOn: resourceRefs,
    },
  };

  const resources: Entity[] = input.environments.map(env => {
    const names = environmentResourceNames(project, env.name);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: resourceName(env.name),
        namespace,
        title: `${project} ${env.title}`,
        description: `${project} in ${env.title}: VPC ${env.vpcCidr}, ECS Fargate in ${env.region}`,
        annotations: {
          [ANNOTATION_PROJECT]: project,
          [ANNOTATION_ENVIRONMENT]: env.name,
          [ANNOTATION_ACCOUNT_ID]: env.accountId,
          [ANNOTATION_REGION]: env.region,
          [ANNOTATION_STACK_NAME]: names.stackName,
          [ANNOTATION_CLUSTER_NAME]: names.clusterName,
          [ANNOTATION_SERVICE_NAME]: names.serviceName,
          [ANNOTATION_LOG_GROUP]: names.logGroupName,
          [ANNOTATION_PARAMETER_PATH]: names.parameterPath,
          [ANNOTATION_AWS_ECS_SERVICE_ARN]: ecsServiceArn(
            env,
            names.clusterName,
            names.serviceName,
          ),
        },
        tags: ['aws', env.name],
      },
      spec: {
        type: RESOURCE_TYPE_AWS_ENVIRONMENT,
        owner,
        system: systemRef,
        dependencyOf: [componentRef],
      },
    };
  });

  return [system, component, ...resources];
}
