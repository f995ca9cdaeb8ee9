import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { CacheService, coreServices } from '@backstage/backend-plugin-api';
import {
  ServiceFactoryTester,
  TestCaches,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  PROJECT,
  capturingLogger,
  createTestService,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from '../__testUtils__/awsFixtures';
import { tolerantCache } from './tolerantCache';

// scripts/lib/services.sh exports the first when Redis answers.
const REDIS_URL =
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
  process.env.AWS_ENV_REDIS_URL ??
  'redis://127.0.0.1:6379';
const REQUIRED = process.env.AWS_ENV_REQUIRE_SERVICES === '1';

/** Jest registers tests synchronously, so the probe is too. */
function redisReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `
    const socket = require('net').connect(${
      Number(port) || 6379
    }, ${JSON.stringify(hostname)});
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', d => process.exit(String(d).startsWith('+PONG') ? 0 : 1));`;
  return (
    spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0
  );
}

const redisUp = redisReachable(REDIS_URL);
if (redisUp) {
  // TestCaches connects to an external Redis through this variable instead
  // of starting a container.
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??= REDIS_URL;
} else if (!REQUIRED) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the Redis cache tests: no Redis answers at ${REDIS_URL}. Start one, or set BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING (or AWS_ENV_REDIS_URL); CI sets AWS_ENV_REQUIRE_SERVICES=1 to make this a failure.`,
  );
}

const caches = TestCaches.create({
  ids: redisUp ? ['MEMORY', 'REDIS_7'] : ['MEMORY'],
  disableDocker: true,
});

/** Keys written during a test, deleted after it: the Redis may be shared. */
const written: { cache: CacheService; key: string }[] = [];

function tracking(cache: CacheService): CacheService {
  return {
    get: key => cache.get(key),
    set: async (key, value, options) => {
      written.push({ cache, key });
      await cache.set(key, value, options);
    },
    delete: key => cache.delete(key),
    withOptions: options => tracking(cache.withOptions(options)),
  };
}

afterEach(async () => {
  await Promise.all(written.splice(0).map(w => w.cache.delete(w.key)));
});

/** The real cache service factory on the given store, as a backend builds it. */
async function cacheService(id: 'MEMORY' | 'REDIS_7'): Promise<CacheService> {
  const { store, connection } = await caches.init(id);
  const tester = ServiceFactoryTester.from(mockServices.cache.factory(), {
    dependencies: [
      mockServices.rootConfig.factory({
        data: { backend: { cache: { store, connection } } },
      }),
    ],
  });
  // A plugin id of its own keeps this run's keys apart on a shared Redis.
  return tracking(
    await tester.getService(coreServices.cache, `aws-env-test-${randomUUID()}`),
  );
}

const request = {
  project: PROJECT,
  environments: ['test'],
  range: '1h' as const,
};

describe.each(['MEMORY', 'REDIS_7'] as const)('status cache on %s', id => {
  if (id === 'REDIS_7' && !redisUp) {
    // Outside CI a missing Redis skips these tests (see the warning above);
    // with AWS_ENV_REQUIRE_SERVICES=1 it fails here.
    it(`is skipped: no Redis answers at ${REDIS_URL}`, () => {
      expect({ required: REQUIRED }).toEqual({ required: false });
    });
    return;
  }

  beforeEach(() => {
    resetAwsMocks();
    seedEnvironment();
  });

  it('lets a second replica read what the first one stored', async () => {
    const logger = capturingLogger();
    const cache = tolerantCache(await cacheService(id), logger);
    const first = createTestService({ cache, logger });
    const [stored] = await first.service.getProjectStatus(request);
    const calls = totalCalls();

    const second = createTestService({ cache, logger });
    const [read] = await second.service.getProjectStatus(request);
    expect(totalCalls()).toBe(calls);
    expect(read).toEqual(JSON.parse(JSON.stringify(stored)));
    expect(logger.lines.filter(l => l.includes('Cache'))).toEqual([]);
  });

  it('expires entries after the configured TTL', async () => {
    const cache = await cacheService(id);
    const { service } = createTestService({
      cache,
      options: { cacheTtlSeconds: 1 },
    });
    await service.getProjectStatus(request);
    const calls = totalCalls();
    await service.getProjectStatus(request);
    expect(totalCalls()).toBe(calls);
    await new Promise(resolve => setTimeout(resolve, 1200));
    await service.getProjectStatus(request);
    expect(totalCalls()).toBeGreaterThan(calls);
  });
});
