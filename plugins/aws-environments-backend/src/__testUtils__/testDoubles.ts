/*
 * Test doubles of core services. Imports no AWS SDK mocks, so the tests
 * against the local AWS sandbox can use them too.
 */
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** A CacheService on a Map, honouring TTLs; enough for unit tests. */
export function mapCache(): CacheService & { store: Map<string, JsonValue> } {
  const store = new Map<string, JsonValue>();
  const make = (): CacheService & { store: Map<string, JsonValue> } => ({
    store,
    async get<T extends JsonValue>(key: string) {
      return store.get(key) as T | undefined;
    },
    async set(key, value) {
      store.set(key, value);
    },
    async delete(key) {
      store.delete(key);
    },
    withOptions: () => make(),
  });
  return make();
}

/** A logger that keeps every line it is given, for leak checks. */
export function capturingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (message: string, meta?: Error | Record<string, unknown>) => {
      lines.push(
        `${level} ${message} ${
          meta instanceof Error
            ? `${meta.message} ${meta.stack}`
            : JSON.stringify(meta ?? {})
        }`,
      );
    };
  const logger: LoggerService & { lines: string[] } = {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}
