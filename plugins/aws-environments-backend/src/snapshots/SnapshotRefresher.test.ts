import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  callCounts,
  createTestService,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from '../__testUtils__/awsFixtures';
import { testEntities } from '../__testUtils__/entities';
import { createTestDatabases } from '../promotions/__testUtils__/promotionFixtures';
import { ManualClock } from '../promotions/__testUtils__/storeFixtures';
import { migratePromotionTables } from '../promotions/promotionTables';
import { CallBudget } from './CallBudget';
import {
  COLD_SUMMARY_CALLS,
  METRICS_BATCH_CALLS,
  SUMMARY_CALLS,
  SnapshotRefresher,
} from './SnapshotRefresher';
import { StatusSnapshotStore, snapshotId } from './StatusSnapshotStore';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const options = {
  callsPerSecond: 4,
  hotIntervalMs: MINUTE,
  coldIntervalMs: 15 * MINUTE,
  hotForMs: 15 * MINUTE,
};

describe('SnapshotRefresher', () => {
  const databases = createTestDatabases();
  const [[databaseId]] = databases.eachSupportedId();

  async function setup(entities = testEntities) {
    const knex = await databases.init(databaseId);
    await migratePromotionTables(knex);
    const clock = new ManualClock();
    // Summaries carry the real time they were read at; keep the clock near it.
    clock.advance(Date.now() - clock.now().getTime());
    const store = new StatusSnapshotStore(knex, clock.now);
    const { service, logger } = createTestService();
    // The budget waits on the manual clock: waiting moves it forward.
    const budget = new CallBudget(
      options.callsPerSecond,
      () => clock.now().getTime(),
      async ms => clock.advance(ms),
    );
    const refresher = new SnapshotRefresher({
      store,
      service,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger,
      options,
      budget,
      now: clock.now,
      concurrency: 1,
    });
    return { clock, store, refresher, logger };
  }

  beforeEach(() => {
    resetAwsMocks();
    for (const environment of ['test', 'qa', 'staging', 'prod']) {
      seedEnvironment({ environment, running: 3, stopped: 2 });
    }
  });

  it('reads every environment the catalog names, in summary: at most SUMMARY_CALLS calls each, within the budget', async () => {
    const { clock, store, refresher } = await setup();
    const start = clock.now().getTime();
    // shop runs in test and qa; the unannotated and invalid entities name none.
    expect(await refresher.tick(10 * MINUTE)).toBe(2);
    const snapshots = await store.read([
      { project: 'shop', environment: 'test' },
      { project: 'shop', environment: 'qa' },
    ]);
    expect(snapshots.get('shop|test')?.summary).toMatchObject({
      name: 'test',
      health: 'healthy',
      service: { desiredCount: 3, runningCount: 3, image: expect.any(String) },
    });
    expect(snapshots.get('shop|qa')?.summary?.name).toBe('qa');
    const counts = callCounts();
    // No running tasks, logs or load balancer in a summary.
    expect(counts.ListTasks).toBe(2);
    expect(counts.FilterLogEvents).toBeUndefined();
    expect(counts.DescribeStackResources).toBeUndefined();
    // Both summaries' metrics in one call to CloudWatch.
    expect(counts.GetMetricData).toBe(1);
    // A first read also fills the slow caches: the budget charged for it.
    expect(totalCalls()).toBeLessThanOrEqual(
      2 * COLD_SUMMARY_CALLS + METRICS_BATCH_CALLS,
    );
    const slow =
      (counts.DescribeTaskDefinition ?? 0) +
      (counts.DescribeScalableTargets ?? 0) +
      (counts.DescribeParameters ?? 0);
    expect(totalCalls() - slow).toBeLessThanOrEqual(
      2 * SUMMARY_CALLS + METRICS_BATCH_CALLS,
    );
    // At 4 calls a second from a full bucket of 4, the metrics call and two
    // first reads of 6 wait (1 + 6 + 6 - 4) / 4 s.
    expect(clock.now().getTime() - start).toBe(2250);

    // A recently viewed environment comes back after the hot interval, the
    // other after the cold one.
    await store.markViewed([{ project: 'shop', environment: 'test' }], {
      staleBefore: new Date(0),
      dueBy: new Date(clock.now().getTime() + options.hotIntervalMs),
    });
    resetAwsMocks();
    seedEnvironment({ environment: 'test' });
    seedEnvironment({ environment: 'qa' });
    clock.advance(options.hotIntervalMs);
    expect(await refresher.tick()).toBe(1);
    expect(totalCalls()).toBeLessThanOrEqual(
      SUMMARY_CALLS + METRICS_BATCH_CALLS,
    );
    clock.advance(options.coldIntervalMs);
    const due = await store.due(10);
    expect(due.map(snapshotId).sort()).toEqual(['shop|qa', 'shop|test']);
  });

  it('reads requested snapshots before overdue ones', async () => {
    const { clock, store, refresher } = await setup();
    await refresher.tick(10 * MINUTE);
    clock.advance(options.coldIntervalMs + 1000);
    await store.markViewed([{ project: 'shop', environment: 'qa' }], {
      staleBefore: clock.now(),
      dueBy: clock.now(),
    });
    const [first] = await store.due(1);
    expect(snapshotId(first)).toBe('shop|qa');
  });

  it('postpones a snapshot whose read fails unexpectedly, keeping the old summary', async () => {
    const { clock, store, refresher, logger } = await setup();
    await refresher.tick(10 * MINUTE);
    const before = (
      await store.read([{ project: 'shop', environment: 'test' }])
    ).get('shop|test');
    clock.advance(options.coldIntervalMs);
    const failing = jest
      .spyOn((refresher as any).deps.service, 'getProjectStatus')
      .mockRejectedValue(new Error('database on fire'));
    const failedAt = clock.now().getTime();
    expect(await refresher.tick()).toBe(2);
    failing.mockRestore();
    const after = (
      await store.read([{ project: 'shop', environment: 'test' }])
    ).get('shop|test');
    expect(after?.summary).toEqual(before?.summary);
    // Read again a cold interval after the failure, not at once.
    expect(after?.dueAt.getTime()).toBeGreaterThanOrEqual(
      failedAt + options.coldIntervalMs,
    );
    expect(await store.due(10)).toEqual([]);
    expect(logger.lines.join('\n')).toContain('database on fire');
  });

  it('drops the snapshots of environments no entity names any more', async () => {
    const { store, refresher } = await setup();
    await store.ensure([{ project: 'gone', environment: 'test' }]);
    await refresher.discover();
    expect((await store.due(10)).map(snapshotId).sort()).toEqual([
      'shop|qa',
      'shop|test',
    ]);
  });
});
