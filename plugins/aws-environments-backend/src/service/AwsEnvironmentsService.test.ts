import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  PROJECT,
  awsError,
  awsMocks,
  capturingLogger,
  createTestService,
  mapCache,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from '../__testUtils__/awsFixtures';
import { tolerantCache } from './tolerantCache';

const ALL = ['test', 'qa', 'staging', 'prod'];

describe('DefaultAwsEnvironmentsService', () => {
  beforeEach(() => {
    resetAwsMocks();
    for (const environment of ALL) {
      seedEnvironment({ environment });
    }
  });

  it('returns the requested environments in promotion order', async () => {
    const { service } = createTestService();
    const statuses = await service.getProjectStatus({
      project: PROJECT,
      environments: ['prod', 'test', 'nope'],
      range: '1h',
    });
    expect(statuses.map(s => [s.name, s.order])).toEqual([
      ['test', 0],
      ['prod', 3],
    ]);
  });

  it('renders the other environments when one is throttled', async () => {
    awsMocks.ecs
      .on(DescribeServicesCommand, { cluster: 'shop-qa-ecs-cluster' })
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { service } = createTestService();
    const statuses = await service.getProjectStatus({
      project: PROJECT,
      environments: ALL,
      range: '1h',
    });
    expect(statuses.map(s => [s.name, s.health, s.error?.type])).toEqual([
      ['test', 'healthy', undefined],
      ['qa', 'unknown', 'THROTTLED'],
      ['staging', 'healthy', undefined],
      ['prod', 'healthy', undefined],
    ]);
  });

  it('serves repeated reads from the cache', async () => {
    const { service, cache } = createTestService();
    const request = {
      project: PROJECT,
      environments: ['test'],
      range: '1h' as const,
    };
    const first = await service.getProjectStatus(request);
    const calls = totalCalls();
    const second = await service.getProjectStatus(request);
    expect(totalCalls()).toBe(calls);
    expect(second).toEqual(JSON.parse(JSON.stringify(first)));
    expect([...cache.store.keys()]).toContain(
      'status:v3:shop:test:000000000000:us-east-1:1h:full:logs',
    );
  });

  it('reads AWS for a fresh read, and refreshes the cache with it', async () => {
    const { service, cache } = createTestService();
    const request = {
      project: PROJECT,
      environments: ['test'],
      range: '1h' as const,
    };
    await service.getProjectStatus(request);
    const calls = totalCalls();
    const fresh = await service.getProjectStatus({ ...request, fresh: true });
    expect(totalCalls()).toBeGreaterThan(calls);
    // The next ordinary read gets what the fresh read saw.
    const after = totalCalls();
    const cached = await service.getProjectStatus(request);
    expect(totalCalls()).toBe(after);
    expect(cached[0].fetchedAt).toBe(fresh[0].fetchedAt);
    expect(cache.store.size).toBeGreaterThan(0);
  });

  it('keys the cache by range', async () => {
    const { service } = createTestService();
    await service.getProjectStatus({
      project: PROJECT,
      environments: ['test'],
      range: '1h',
    });
    const calls = totalCalls();
    await service.getProjectStatus({
      project: PROJECT,
      environments: ['test'],
      range: '7d',
    });
    expect(totalCalls()).toBeGreaterThan(calls);
  });

  it('lets 200 concurrent viewers share one set of AWS calls', async () => {
    const { service } = createTestService();
    const request = {
      project: PROJECT,
      environments: ALL,
      range: '1h' as const,
    };
    await service.getProjectStatus(request);
    const perRefresh = totalCalls();

    resetAwsMocks();
    for (const environment of ALL) {
      seedEnvironment({ environment });
    }
    const fresh = createTestService();
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        fresh.service.getProjectStatus(request),
      ),
    );
    // Task definitions and load balancers were not cached yet in either run.
    expect(totalCalls()).toBe(perRefresh);
    expect(new Set(results.map(r => JSON.stringify(r))).size).toBe(1);
  });

  it('reads AWS when the cache store fails, instead of failing', async () => {
    const logger = capturingLogger();
    const broken = mapCache();
    broken.get = async () => {
      throw new Error('redis down');
    };
    broken.set = async () => {
      throw new Error('redis down');
    };
    broken.withOptions = () => broken;
    const { service } = createTestService({
      cache: tolerantCache(broken, logger),
      logger,
    });
    const [status] = await service.getProjectStatus({
      project: PROJECT,
      environments: ['test'],
      range: '1h',
    });
    expect(status.health).toBe('healthy');
    expect(logger.lines).toContainEqual(
      expect.stringContaining(
        'Cache read failed, continuing without the cache: redis down',
      ),
    );
  });
});
