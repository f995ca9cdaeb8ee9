/*
 * What a resource provider is: how CloudFormation creates, updates in place
 * and deletes one resource type, with the context it runs in. Shared by the
 * providers of every family (*Resources.ts), gathered in resources.ts.
 */
import type { ModelContext } from '../services/types';
import type { ResourceWait } from './resourceWaits';

export interface ResourceContext extends ModelContext {
  stackName: string;
  stackId: string;
  logicalId: string;
}

export interface ResourceResult {
  physicalId: string;
  attributes: Record<string, unknown>;
}

export interface Provider {
  create(props: any, ctx: ResourceContext): ResourceResult;
  /** In-place update; absent means every change replaces the resource. */
  update?(
    physicalId: string,
    props: any,
    previous: { props: any; attributes: Record<string, unknown> },
    ctx: ResourceContext,
  ): ResourceResult;
  delete(
    physicalId: string,
    props: any,
    attributes: Record<string, unknown>,
    ctx: ResourceContext,
  ): void;
  /** Properties whose change requires replacement; 'all' for any change. */
  replaceOn: string[] | 'all';
  /**
   * What CloudFormation waits for after a create or an in-place update
   * before the resource is complete (resourceWaits.ts); without it, the
   * resource is complete when create or update returns.
   */
  stabilise?(
    physicalId: string,
    props: any,
    ctx: ResourceContext,
  ): ResourceWait;
}

/** CloudFormation-style generated name: stack-logicalId-RANDOM, capped. */
export function generatedName(
  ctx: ResourceContext,
  maxLength = 64,
  lower = false,
): string {
  const suffix = ctx.sandbox.random.alnum(12);
  const budget = maxLength - suffix.length - 2;
  const stackPart = ctx.stackName.slice(0, Math.max(1, Math.floor(budget / 2)));
  const logicalPart = ctx.logicalId.slice(0, budget - stackPart.length);
  const name = `${stackPart}-${logicalPart}-${suffix}`;
  return lower ? name.toLowerCase() : name;
}

/** An EC2-style id drawn from the random stream: `vpc-0` and 16 hex digits. */
export const hexId = (ctx: ResourceContext, prefix: string) =>
  `${prefix}-0${ctx.sandbox.random.hex(16)}`;
