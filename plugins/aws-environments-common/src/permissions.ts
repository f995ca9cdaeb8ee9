import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The catalog's entity resource type. Spelled out rather than imported from
 * `@backstage/plugin-catalog-common` to keep this package's dependencies to
 * what the frontend already loads; the value is part of Backstage's API.
 */
const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Resource type of a promotion request, for approve decisions per request.
 *
 * @public
 */
export const RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION =
  'aws-environment-promotion';

/**
 * Read the ECS, metrics and logs status of an entity's environments.
 * Checked against the entity, so policies can use catalog conditions
 * (e.g. "owned by one of my groups").
 *
 * @public
 */
export const awsEnvironmentsStatusReadPermission = createPermission({
  name: 'aws.environments.status.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read SSM parameter metadata (names, types, versions, who changed them) of
 * an entity's environments. Never grants access to values: there is no API
 * that returns them.
 *
 * @public
 */
export const awsEnvironmentsParametersReadPermission = createPermission({
  name: 'aws.environments.parameters.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Request a promotion of an entity from one environment to the next.
 *
 * @public
 */
export const awsEnvironmentsPromotionCreatePermission = createPermission({
  name: 'aws.environments.promotion.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Approve or reject one promotion request. Scoped to the request so that a
 * policy can decide per target environment or requester.
 *
 * @public
 */
export const awsEnvironmentsPromotionApprovePermission = createPermission({
  name: 'aws.environments.promotion.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
});

/**
 * Start a CloudFormation drift detection of an entity's environment on
 * demand. Reading the last result needs only
 * {@link awsEnvironmentsStatusReadPermission}. No action attribute: a check
 * changes nothing in AWS, yet it is not a plain read either (it starts work
 * in CloudFormation), so policies that allow every read do not grant it.
 *
 * @public
 */
export const awsEnvironmentsDriftCheckPermission = createPermission({
  name: 'aws.environments.drift.check',
  attributes: {},
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Destroy a protected environment (the one named prod, and the last of the
 * promotion path) with the scaffolder's `aws:environments:destroy`. Basic
 * rather than scoped to a resource: the action runs before any entity
 * exists to check against, and the set of environments it guards is fixed
 * by config, so an allow/deny by user or group is the decision to make.
 *
 * @public
 */
export const awsEnvironmentsDestroyPermission = createPermission({
  name: 'aws.environments.destroy',
  attributes: { action: 'delete' },
});

/**
 * Every permission of the AWS environments plugins.
 *
 * @public
 */
export const awsEnvironmentsPermissions = [
  awsEnvironmentsStatusReadPermission,
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsPromotionCreatePermission,
  awsEnvironmentsPromotionApprovePermission,
  awsEnvironmentsDestroyPermission,
  awsEnvironmentsDriftCheckPermission,
];
