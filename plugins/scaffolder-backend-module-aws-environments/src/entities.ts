/**
 * The run's catalog entities (System, Component, one `aws-environment`
 * Resource per environment). The builder lives in the common package so
 * that the catalog entity provider, which finds provisioned projects from
 * their stacks, produces exactly the entities this action outputs.
 */
export {
  buildProjectEntities,
  ecsServiceArn,
} from '@envplane/plugin-aws-environments-common';
export type { ProjectEntitiesInput } from '@envplane/plugin-aws-environments-common';
