/*
 * How ECS answers List calls (pages of ARNs) and what its Describe calls
 * report for a reference they did not find.
 */
import { paginate } from './paging';

function maxResults(value: unknown) {
  if (value === undefined || value === null) return undefined;
  return Number(value);
}

/** One page of a list, as ECS pages them (maxResults up to 100, nextToken). */
export function pageOf<T>(
  items: T[],
  input: { maxResults?: unknown; nextToken?: string },
  fingerprint?: string,
  defaultSize = 100,
) {
  return paginate(items, {
    maxResults: maxResults(input.maxResults),
    nextToken: input.nextToken,
    defaultSize,
    maxSize: 100,
    tokenError: 'InvalidParameterException',
    limitError: 'InvalidParameterException',
    fingerprint,
  });
}

/** What a Describe call reports for a reference it did not find. */
export function missing(ref: unknown, arn: string) {
  return { arn: String(ref).startsWith('arn:') ? ref : arn, reason: 'MISSING' };
}
