/*
 * How the CloudFormation handlers read a request and page an answer: awsQuery
 * lists, timestamps, CloudFormation's pages, and the region, account and
 * caller a stack operation runs with.
 */
import type { RequestContext } from './types';
import { paginate } from './paging';
import type { OperationContext } from '../world';

/** awsQuery sends an empty list as "Key=" (an empty string). */
export const list = <T>(value: unknown): T[] =>
  Array.isArray(value) ? value : [];

export const date = (t?: number) => (t === undefined ? undefined : new Date(t));

/** One page of a list, as CloudFormation pages them (NextToken, 100 items). */
export function pageOf<T>(
  items: T[],
  nextToken: string | undefined,
  fingerprint?: string,
  size = 100,
) {
  return paginate(items, {
    nextToken,
    defaultSize: size,
    maxSize: size,
    tokenError: 'ValidationError',
    fingerprint,
  });
}

export function op(ctx: RequestContext): OperationContext {
  return {
    region: ctx.region,
    regionState: ctx.regionState,
    caller: ctx.caller,
  };
}
