import { ReadContext } from './readContext';

/**
 * How long a summary reuses what rarely changes: scaling bounds and
 * parameter metadata change by a deployment or a person, not by traffic,
 * and a full read (the tab's details) reads them live anyway.
 */
export const SLOW_CHANGING_TTL_MS = 15 * 60_000;

/**
 * `read()`'s value for one source of one environment, from the cache while
 * it is younger than {@link SLOW_CHANGING_TTL_MS}. Errors are not cached:
 * the next summary tries again.
 */
export async function readSlowChanging<T>(
  ctx: ReadContext,
  source: string,
  read: () => Promise<T>,
): Promise<T> {
  const { accountId, region } = ctx.environment;
  const key = `slow:${source}:${accountId}:${region}:${ctx.names.stackName}`;
  const cached = await ctx.cache.get<string>(key);
  if (typeof cached === 'string') {
    // Wrapped, so that an undefined value (no scaling) is a hit too.
    return (JSON.parse(cached) as { value: T }).value;
  }
  const value = await read();
  await ctx.cache.set(key, JSON.stringify({ value }), {
    ttl: SLOW_CHANGING_TTL_MS,
  });
  return value;
}
