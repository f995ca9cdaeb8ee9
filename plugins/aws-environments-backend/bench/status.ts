/*
 * Benchmark of the Environments tab backend (not a test):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/status.ts
 *
 * 1. AWS calls per environment per refresh, with 1 and 50 running tasks,
 *    counted with aws-sdk-client-mock (cold: empty cache; warm: task
 *    definition and load balancer already cached, status entry expired).
 * 2. 200 concurrent viewers of one entity on a cold cache: AWS calls
 *    compared with one viewer (the single-flight ratio).
 * 3. Cached reads through the HTTP router (JSON of four environments):
 *    requests per second and latency percentiles, on the memory store and,
 *    when it answers, on Redis (AWS_ENV_REDIS_URL, default
 *    redis://127.0.0.1:6379), through Backstage's real cache service.
 *
 * Set BENCH_REQUESTS / BENCH_CONCURRENCY to change part 3.
 */
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  BackstageCredentials,
  CacheService,
  HttpAuthService,
  PermissionsService,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConfigReader } from '@backstage/config';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import express from 'express';
import {
  PROJECT,
  callCounts,
  capturingLogger,
  createTestService,
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from '../src/__testUtils__/awsFixtures';
import { shopEntity } from '../src/__testUtils__/entities';
import { createRouter } from '../src/router';
import { EntityStatusReader } from '../src/service/EntityStatusReader';
import { tolerantCache } from '../src/service/tolerantCache';

const ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
// scripts/lib/services.sh exports the first when Redis answers.
const REDIS_URL =
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
  process.env.AWS_ENV_REDIS_URL ??
  'redis://127.0.0.1:6379';
const [testEnvironment] = readAwsEnvironments(
  new ConfigReader(environmentsConfig),
);

function seedAll(running: number) {
  resetAwsMocks();
  for (const environment of ENVIRONMENTS) {
    seedEnvironment({ environment, running, stopped: 20 });
  }
}

async function callsPerRefresh() {
  const rows: string[] = [];
  for (const running of [1, 50]) {
    seedAll(running);
    const { collector } = createTestService();
    const request = {
      project: PROJECT,
      environment: testEnvironment,
      order: 0,
      range: '1h' as const,
    };
    await collector.collect(request);
    const cold = callCounts();
    const coldTotal = totalCalls();
    resetAwsMocks();
    seedAll(running);
    await collector.collect(request);
    const warmTotal = totalCalls();
    rows.push(
      `| ${running} running + 20 stopped | ${coldTotal} | ${warmTotal} | ${Object.entries(
        cold,
      )
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')} |`,
    );
  }
  return [
    '| Tasks | Calls, cold | Calls, warm | Cold calls by operation |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function concurrentViewers() {
  const request = {
    project: PROJECT,
    environments: ENVIRONMENTS,
    range: '1h' as const,
  };
  seedAll(50);
  await createTestService().service.getProjectStatus(request);
  const one = totalCalls();

  seedAll(50);
  const { service } = createTestService();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, () => service.getProjectStatus(request)),
  );
  const elapsed = performance.now() - started;
  const many = totalCalls();
  return `| 1 viewer | 200 concurrent viewers | Ratio | Wall time for 200 |
|---|---|---|---|
| ${one} calls | ${many} calls | ${(many / one).toFixed(2)} | ${elapsed.toFixed(
    0,
  )} ms |`;
}

async function realCache(store: 'memory' | 'redis'): Promise<CacheService> {
  const tester = ServiceFactoryTester.from(mockServices.cache.factory(), {
    dependencies: [
      mockServices.rootConfig.factory({
        data: {
          backend: {
            cache:
              store === 'memory'
                ? { store: 'memory' }
                : { store: 'redis', connection: REDIS_URL },
          },
        },
      }),
    ],
  });
  return tester.getService(coreServices.cache, `aws-env-bench-${randomUUID()}`);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function cachedReads(store: 'memory' | 'redis') {
  const logger = capturingLogger();
  const cache = tolerantCache(await realCache(store), logger);
  const { service } = createTestService({
    cache,
    logger,
    // Long enough that every measured read is a cache hit.
    options: { cacheTtlSeconds: 600 },
  });
  const credentials = { principal: { type: 'user' } } as BackstageCredentials;
  const httpAuth = {
    credentials: async () => credentials,
  } as unknown as HttpAuthService;
  const catalog = {
    getEntityByRef: async () => shopEntity,
  } as unknown as CatalogService;
  const permissions = {
    authorize: async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  } as unknown as PermissionsService;
  const reader = new EntityStatusReader({ catalog, permissions, service });
  const app = express().use(await createRouter({ httpAuth, reader }));
  const server = app.listen(0);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/entity/default/component/shop/status`;

  seedAll(50);
  const warm = await (await fetch(url)).text();
  const callsAfterWarm = totalCalls();
  // Warm the JIT and connection pools before measuring.
  for (let i = 0; i < 200; i++) {
    await (await fetch(url)).arrayBuffer();
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const t = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) {
          throw new Error(`HTTP ${res.status}`);
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  server.close();
  if (totalCalls() !== callsAfterWarm) {
    throw new Error('cached reads called AWS');
  }
  if (logger.lines.some(l => l.includes('Cache'))) {
    throw new Error(`cache errors: ${logger.lines.join('\n')}`);
  }
  latencies.sort((a, b) => a - b);
  return `| ${store} | ${(warm.length / 1024).toFixed(0)} KB | ${(
    REQUESTS / seconds
  ).toFixed(0)} | ${percentile(latencies, 0.5).toFixed(1)} ms | ${percentile(
    latencies,
    0.99,
  ).toFixed(1)} ms |`;
}

async function main() {
  console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
  console.log('AWS calls per environment per refresh\n');
  console.log(await callsPerRefresh());
  console.log('\n200 concurrent viewers, 4 environments, cold cache\n');
  console.log(await concurrentViewers());
  console.log(
    `\nCached reads over HTTP (${REQUESTS} requests, ${CONCURRENCY} concurrent, 4 environments)\n`,
  );
  console.log(
    '| Store | Body | Requests/s | p50 | p99 |\n|---|---|---|---|---|',
  );
  console.log(await cachedReads('memory'));
  try {
    console.log(await cachedReads('redis'));
  } catch (error) {
    console.log(`| redis | skipped: ${(error as Error).message} | | | |`);
  }
  // The Redis client keeps the event loop alive.
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
