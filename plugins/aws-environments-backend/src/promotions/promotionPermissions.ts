import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  PromotionRequest,
  RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
} from '@envplane/plugin-aws-environments-common';
import { z } from 'zod';

/** Prefix of the resource refs of promotions: `promotion:<id>`. */
const RESOURCE_REF_PREFIX = 'promotion:';

export function promotionResourceRef(id: string): string {
  return `${RESOURCE_REF_PREFIX}${id}`;
}

/** The promotion id of a resource ref, or undefined if it is not one. */
export function promotionIdOf(resourceRef: string): string | undefined {
  return resourceRef.startsWith(RESOURCE_REF_PREFIX)
    ? resourceRef.slice(RESOURCE_REF_PREFIX.length)
    : undefined;
}

/**
 * Criteria on promotion fields. Promotions are never listed through
 * conditional decisions, so nothing translates these into SQL; the type
 * exists because every rule must describe itself as a query.
 *
 * @public
 */
export type PromotionQuery = {
  property: 'to' | 'entityRef';
  values: string[];
};

export const promotionPermissionResourceRef = createPermissionResourceRef<
  PromotionRequest,
  PromotionQuery
>().with({
  pluginId: 'aws-environments',
  resourceType: RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
});

const isTargetEnvironment = createPermissionRule({
  name: 'IS_TARGET_ENVIRONMENT',
  description:
    'Allow when the promotion goes into one of the given environments',
  resourceRef: promotionPermissionResourceRef,
  paramsSchema: z.object({
    environments: z
      .array(z.string())
      .describe('Names of target environments, e.g. ["prod"]'),
  }),
  apply: (promotion, { environments }) => environments.includes(promotion.to),
  toQuery: ({ environments }) => ({ property: 'to', values: environments }),
});

const isEntity = createPermissionRule({
  name: 'IS_ENTITY',
  description: 'Allow when the promotion is of one of the given entities',
  resourceRef: promotionPermissionResourceRef,
  paramsSchema: z.object({
    entityRefs: z
      .array(z.string())
      .describe('Entity refs, e.g. ["component:default/shop"]'),
  }),
  apply: (promotion, { entityRefs }) =>
    entityRefs
      .map(ref => ref.toLocaleLowerCase('en-US'))
      .includes(promotion.entityRef.toLocaleLowerCase('en-US')),
  toQuery: ({ entityRefs }) => ({ property: 'entityRef', values: entityRefs }),
});

/** The rules a permission policy can use on promotions. */
export const promotionPermissionRules = { isTargetEnvironment, isEntity };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: promotionPermissionResourceRef,
  rules: promotionPermissionRules,
});

/**
 * The conditions a permission policy can put on promotions: e.g. "group
 * prod-approvers may approve promotions into prod" is
 * `createPromotionConditionalDecision(permission, promotionConditions.isTargetEnvironment({ environments: ['prod'] }))`.
 *
 * @public
 */
export const promotionConditions = conditions;

/**
 * Makes a conditional decision on promotions from
 * {@link promotionConditions}, for permission policies.
 *
 * @public
 */
export const createPromotionConditionalDecision = createConditionalDecision;
