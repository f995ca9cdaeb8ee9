/*
 * NextToken pagination shared by the services. Tokens are opaque to clients
 * (base64 of an offset and a fingerprint of the request), like AWS's.
 */
import { AwsError } from '../protocol/errors';

export interface PageOptions {
  maxResults?: number;
  nextToken?: string;
  defaultSize: number;
  maxSize: number;
  /** Name of the limit member, for validation messages. */
  limitName?: string;
  /** Error code for a token that does not belong to this request. */
  tokenError?: string;
  /** Error code for out-of-range limits. */
  limitError?: string;
  /** Anything that must stay the same between pages (filters etc.). */
  fingerprint?: string;
}

function pageSize(options: PageOptions): number {
  const size = options.maxResults ?? options.defaultSize;
  const limitName = options.limitName ?? 'maxResults';
  if (!Number.isInteger(size) || size < 1 || size > options.maxSize) {
    throw new AwsError(
      options.limitError ?? 'ValidationException',
      `1 validation error detected: Value '${size}' at '${limitName}' failed to satisfy constraint: Member must have value ${
        size < 1
          ? 'greater than or equal to 1'
          : `less than or equal to ${options.maxSize}`
      }`,
    );
  }
  return size;
}

export function paginate<T>(
  items: T[],
  options: PageOptions,
): { page: T[]; nextToken?: string } {
  const size = pageSize(options);
  let offset = 0;
  if (options.nextToken !== undefined && options.nextToken !== null) {
    offset = decodeToken(
      options.nextToken,
      options.fingerprint ?? '',
      options.tokenError ?? 'InvalidNextToken',
    );
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return {
    page,
    nextToken:
      next < items.length
        ? encodeToken(next, options.fingerprint ?? '')
        : undefined,
  };
}

/**
 * Pages items sorted by a unique key. The token names the last key returned
 * instead of an offset, so that a page does not skip or repeat items when
 * earlier ones leave the filter between calls (alarms change state while a
 * client pages through "all alarms in ALARM").
 */
export function paginateByKey<T>(
  items: T[],
  key: (item: T) => string,
  options: PageOptions,
): { page: T[]; nextToken?: string } {
  const size = pageSize(options);
  let rest = items;
  if (options.nextToken !== undefined && options.nextToken !== null) {
    const after = decodeKeyToken(
      options.nextToken,
      options.fingerprint ?? '',
      options.tokenError ?? 'InvalidNextToken',
    );
    rest = items.filter(item => key(item) > after);
  }
  const page = rest.slice(0, size);
  return {
    page,
    nextToken:
      rest.length > size
        ? Buffer.from(
            JSON.stringify({
              k: key(page[page.length - 1]),
              f: options.fingerprint ?? '',
            }),
          ).toString('base64')
        : undefined,
  };
}

function decodeKeyToken(
  token: string,
  fingerprint: string,
  errorCode: string,
): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed.k === 'string' && parsed.f === fingerprint)
      return parsed.k;
  } catch {
    // fall through
  }
  throw new AwsError(errorCode, 'The specified token is invalid.');
}

export function encodeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString(
    'base64',
  );
}

export function decodeToken(
  token: string,
  fingerprint: string,
  errorCode: string,
): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (
      Number.isInteger(parsed.o) &&
      parsed.o >= 0 &&
      parsed.f === fingerprint
    ) {
      return parsed.o;
    }
  } catch {
    // fall through
  }
  throw new AwsError(errorCode, 'The specified token is invalid.');
}
