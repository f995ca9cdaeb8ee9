/*
 * What EC2's Describe calls share: DryRun, `*`/`?` filter matching with
 * `tag:<key>` and `tag-key`, MaxResults/NextToken paging, lookups by id and
 * the InvalidParameterValue errors they answer with.
 */
import { AwsError } from '../protocol/errors';
import type { Ec2Tag } from '../stateEc2';
import type { RequestContext } from './types';
import { decodeToken, encodeToken } from './paging';

/** EC2 filter values may use `*` and `?` wildcards. */
export const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

export const invalidValue = (message: string) =>
  new AwsError('InvalidParameterValue', message);

export function dryRun(input: { DryRun?: boolean }) {
  if (input.DryRun) {
    throw new AwsError(
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
      412,
    );
  }
}

// ---- filters and pages ------------------------------------------------------

export interface Filter {
  Name?: string;
  Value?: string[];
}

/** The values a filter name reads from an item; a filter matches if any matches. */
export type FilterValues<T> = (
  item: T,
) => (string | number | boolean | undefined)[];

export const tagFilters = <T extends { Tags: Ec2Tag[] }>(): Record<
  string,
  FilterValues<T>
> => ({ 'tag-key': x => x.Tags.map(t => t.Key) });

/** Filters with `*`/`?` wildcards; `tag:<key>` reads the tag's value. */
export function filterItems<T extends { Tags: Ec2Tag[] }>(
  items: T[],
  filters: Filter[],
  known: Record<string, FilterValues<T>>,
): T[] {
  const readers = filters.map(f => {
    const name = f.Name ?? '';
    if (name.startsWith('tag:') && name.length > 4) {
      const key = name.slice(4);
      return (x: T) => x.Tags.filter(t => t.Key === key).map(t => t.Value);
    }
    const reader = known[name];
    if (!reader) throw invalidValue(`The filter '${name}' is invalid`);
    return reader;
  });
  return items.filter(item =>
    filters.every((f, i) => {
      const values = readers[i](item)
        .filter(v => v !== undefined)
        .map(String);
      return (f.Value ?? []).some(pattern =>
        values.some(v => matches(pattern, v)),
      );
    }),
  );
}

/** MaxResults/NextToken as the EC2 Describe calls page: all items when no MaxResults. */
export function pageOf<T>(
  items: T[],
  input: { MaxResults?: number; NextToken?: string },
  maxSize: number,
  fingerprint: unknown,
): { page: T[]; NextToken?: string } {
  const size = input.MaxResults;
  if (size !== undefined) {
    if (!Number.isInteger(size) || size < 5) {
      throw invalidValue(
        `Value ( ${size} ) for parameter maxResults is invalid. Expecting a value greater than 5.`,
      );
    }
    if (size > maxSize) {
      throw invalidValue(
        `Value ( ${size} ) for parameter maxResults is invalid. Expecting a value less than ${maxSize}.`,
      );
    }
  }
  const print = JSON.stringify(fingerprint);
  const offset =
    input.NextToken !== undefined && input.NextToken !== ''
      ? decodeToken(input.NextToken, print, 'InvalidNextToken')
      : 0;
  const end = size === undefined ? items.length : offset + size;
  return {
    page: items.slice(offset, end),
    NextToken: end < items.length ? encodeToken(end, print) : undefined,
  };
}

/** Items by id, in the order asked; the first unknown id fails the call. */
export function byIds<T>(
  all: Record<string, T>,
  ids: string[] | undefined,
  notFound: (id: string) => AwsError,
): T[] {
  if (!ids?.length) return Object.values(all);
  const out: T[] = [];
  for (const id of new Set(ids)) {
    const item = all[id];
    if (!item) throw notFound(id);
    out.push(item);
  }
  return out;
}

/**
 * The shape of most EC2 Describe calls: the items asked for by id (an
 * unknown one fails), then the filters, then one page.
 */
export function describeItems<T extends { Tags: Ec2Tag[] }>(options: {
  input: { Filter?: Filter[]; MaxResults?: number; NextToken?: string };
  all: Record<string, T>;
  ids: string[] | undefined;
  notFound: (id: string) => AwsError;
  filters: Record<string, FilterValues<T>>;
  maxResults: number;
  /** Binds page tokens to this call, its ids and its filters. */
  kind: string;
}): { page: T[]; NextToken?: string } {
  const { input, ids } = options;
  const items = filterItems(
    byIds(options.all, ids, options.notFound),
    input.Filter ?? [],
    options.filters,
  );
  return pageOf(items, input, options.maxResults, [
    options.kind,
    ids,
    input.Filter,
  ]);
}

/** The account that owns what the caller describes. */
export const owner = (ctx: RequestContext) => ctx.caller.account;
