import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * A cache whose failures (Redis restarting, a network blip) degrade to
 * misses instead of failing the request: the status can always be read
 * from AWS, just less cheaply.
 */
export function tolerantCache(
  cache: CacheService,
  logger: LoggerService,
): CacheService {
  const warn = (op: string, error: unknown) =>
    logger.warn(
      `Cache ${op} failed, continuing without the cache: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  const wrap = (inner: CacheService): CacheService => ({
    async get<TValue extends JsonValue>(key: string) {
      try {
        return await inner.get<TValue>(key);
      } catch (error) {
        warn('read', error);
        return undefined;
      }
    },
    async set(key, value, options) {
      try {
        await inner.set(key, value, options);
      } catch (error) {
        warn('write', error);
      }
    },
    async delete(key) {
      try {
        await inner.delete(key);
      } catch (error) {
        warn('delete', error);
      }
    },
    withOptions: options => wrap(inner.withOptions(options)),
  });
  return wrap(cache);
}
