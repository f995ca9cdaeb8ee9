import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  emptiedBeforeEachTest,
} from '../promotions/__testUtils__/promotionFixtures';
import { ManualClock } from '../promotions/__testUtils__/storeFixtures';
import { migratePromotionTables } from '../promotions/promotionTables';
import { DriftStore, driftId } from './DriftStore';
import { DriftReading } from './readDrift';

jest.setTimeout(60_000);

const LIMITS = { minIntervalMs: 5 * 60_000, staleAfterMs: 12 * 60_000 };
const TEST = { project: 'shop', environment: 'test' };
const QA = { project: 'shop', environment: 'qa' };

const drifted: DriftReading = {
  status: 'drifted',
  driftedResourceCount: 1,
  resources: [
    {
      logicalId: 'Service',
      physicalId: 'shop-test-service',
      resourceType: 'AWS::ECS::Service',
      status: 'MODIFIED',
      differences: [
        {
          path: '/DesiredCount',
          expected: '2',
          actual: '5',
          differenceType: 'NOT_EQUAL',
        },
      ],
    },
  ],
};

describe('DriftStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    const database = emptiedBeforeEachTest(
      databases,
      databaseId as TestDatabaseId,
    );
    beforeAll(async () => {
      await migratePromotionTables(database());
    });

    function setup() {
      const clock = new ManualClock();
      return { clock, store: new DriftStore(database(), clock.now) };
    }

    it('stores a finished check and reads it back by key', async () => {
      const { clock, store } = setup();
      const claim = await store.claim(TEST, LIMITS);
      expect(claim).toEqual({ claimed: true, startedAt: clock.now() });
      const startedAt = clock.now();
      expect((await store.read([TEST])).get(driftId(TEST))).toMatchObject({
        checkingSince: startedAt,
        startedAt,
        resources: [],
      });

      clock.advance(30_000);
      expect(await store.finish(TEST, startedAt, drifted)).toBe(true);
      const stored = await store.read([TEST, QA]);
      expect(stored.size).toBe(1);
      expect(stored.get(driftId(TEST))).toEqual({
        ...TEST,
        status: 'drifted',
        driftedResourceCount: 1,
        resources: drifted.resources,
        error: undefined,
        checkedAt: clock.now(),
        startedAt,
        checkingSince: undefined,
      });
    });

    it('starts at most one check per environment within the interval, across callers', async () => {
      const { clock, store } = setup();
      const claims = await Promise.all([
        store.claim(TEST, LIMITS),
        store.claim(TEST, LIMITS),
        store.claim(TEST, LIMITS),
        store.claim(QA, LIMITS),
      ]);
      expect(claims.filter(c => c.claimed)).toHaveLength(2);
      const startedAt = clock.now();
      await store.finish(TEST, startedAt, drifted);

      // Finished, but within the interval: refused, with what stopped it.
      clock.advance(LIMITS.minIntervalMs - 1);
      const refused = await store.claim(TEST, LIMITS);
      expect(refused).toMatchObject({
        claimed: false,
        current: { status: 'drifted', startedAt },
      });
      clock.advance(1);
      expect((await store.claim(TEST, LIMITS)).claimed).toBe(true);
    });

    it('refuses a check while one runs, until that one is stale', async () => {
      const { clock, store } = setup();
      await store.claim(TEST, LIMITS);
      const first = clock.now();
      clock.advance(LIMITS.minIntervalMs);
      expect(await store.claim(TEST, LIMITS)).toMatchObject({
        claimed: false,
        current: { checkingSince: first },
      });
      clock.advance(LIMITS.staleAfterMs - LIMITS.minIntervalMs);
      const second = await store.claim(TEST, LIMITS);
      expect(second).toEqual({ claimed: true, startedAt: clock.now() });

      // The stale check finishing late must not overwrite the new one.
      expect(await store.finish(TEST, first, drifted)).toBe(false);
      const row = (await store.read([TEST])).get(driftId(TEST));
      expect(row?.status).toBeUndefined();
      expect(row?.checkingSince).toEqual(clock.now());
    });

    it('keeps the last result while the next check runs', async () => {
      const { clock, store } = setup();
      await store.claim(TEST, LIMITS);
      await store.finish(TEST, clock.now(), {
        status: 'failed',
        driftedResourceCount: 0,
        resources: [],
        error: 'Drift detection of stack shop-test: failed (ValidationError)',
      });
      clock.advance(LIMITS.minIntervalMs);
      await store.claim(TEST, LIMITS);
      expect((await store.read([TEST])).get(driftId(TEST))).toMatchObject({
        status: 'failed',
        error: 'Drift detection of stack shop-test: failed (ValidationError)',
        checkingSince: clock.now(),
      });
    });
  });
});
