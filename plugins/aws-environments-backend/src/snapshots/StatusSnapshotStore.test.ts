import { EnvironmentSummary } from '@envplane/plugin-aws-environments-common';
import { createTestDatabases } from '../promotions/__testUtils__/promotionFixtures';
import { ManualClock } from '../promotions/__testUtils__/storeFixtures';
import { migratePromotionTables } from '../promotions/promotionTables';
import { StatusSnapshotStore, snapshotId } from './StatusSnapshotStore';

jest.setTimeout(60_000);

function summary(
  name: string,
  fetchedAt: Date,
  image = 'shop:1',
): EnvironmentSummary {
  return {
    name,
    title: name,
    accountId: '000000000000',
    region: 'us-east-1',
    order: 0,
    health: 'healthy',
    findings: [],
    service: {
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      image,
    },
    consoleLinks: {
      service: 's',
      tasks: 't',
      logs: 'l',
      parameters: 'p',
      metrics: 'm',
      stack: 'k',
    },
    errors: [],
    fetchedAt: fetchedAt.toISOString(),
  };
}

/** A due time later than any in these tests: views do not pull it in. */
const FAR = new Date('2030-01-01T00:00:00.000Z');

const key = (project: string, environment: string) => ({
  project,
  environment,
});

describe('StatusSnapshotStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      await migratePromotionTables(knex);
      const clock = new ManualClock();
      return { clock, store: new StatusSnapshotStore(knex, clock.now) };
    }

    it('adds new keys due at once, keeps existing ones, and saves summaries', async () => {
      const { clock, store } = await setup();
      await store.ensure([key('shop', 'test'), key('shop', 'qa')]);
      expect((await store.due(10)).map(snapshotId).sort()).toEqual([
        'shop|qa',
        'shop|test',
      ]);
      const later = new Date(clock.now().getTime() + 60_000);
      await store.save(
        key('shop', 'test'),
        summary('test', clock.now()),
        later,
      );
      await store.ensure([key('shop', 'test')]);
      expect((await store.due(10)).map(snapshotId)).toEqual(['shop|qa']);
      const read = await store.read([key('shop', 'test'), key('shop', 'qa')]);
      expect(read.get('shop|test')).toMatchObject({
        summary: summary('test', clock.now()),
        fetchedAt: clock.now(),
        dueAt: later,
      });
      expect(read.get('shop|qa')?.summary).toBeUndefined();
      clock.advance(60_000);
      expect((await store.due(10)).map(snapshotId)).toEqual([
        'shop|qa',
        'shop|test',
      ]);
    });

    it('reads only the keys asked for, across many projects', async () => {
      const { clock, store } = await setup();
      const keys = Array.from({ length: 450 }, (_, i) =>
        key(`p${i}`, i % 2 ? 'test' : 'qa'),
      );
      await store.ensure(keys);
      await store.save(keys[7], summary('test', clock.now()), clock.now());
      const read = await store.read([...keys.slice(0, 300), key('p7', 'qa')]);
      expect(read.size).toBe(300);
      expect(read.get('p7|test')?.summary?.name).toBe('test');
      expect(read.has('p7|qa')).toBe(false);
    });

    it('puts requested snapshots first, oldest request first, and a save answers the request', async () => {
      const { clock, store } = await setup();
      const fresh = new Date(clock.now().getTime() + 3_600_000);
      for (const k of [key('a', 'test'), key('b', 'test'), key('c', 'test')]) {
        await store.save(k, summary('test', clock.now()), fresh);
      }
      await store.ensure([key('d', 'test')]);
      clock.advance(120_000);
      // b and c were read 2 minutes ago: stale for a 1-minute view.
      await store.markViewed([key('c', 'test')], {
        staleBefore: new Date(clock.now().getTime() - 60_000),
        dueBy: FAR,
      });
      clock.advance(1000);
      await store.markViewed([key('b', 'test'), key('a', 'test')], {
        staleBefore: new Date(clock.now().getTime() - 60_000),
        dueBy: FAR,
      });
      expect((await store.due(10)).map(snapshotId)).toEqual([
        'c|test',
        'a|test',
        'b|test',
        'd|test',
      ]);
      // A second view does not push a request back in the queue.
      clock.advance(1000);
      await store.markViewed([key('c', 'test')], {
        staleBefore: clock.now(),
        dueBy: FAR,
      });
      expect((await store.due(1)).map(snapshotId)).toEqual(['c|test']);
      await store.save(key('c', 'test'), summary('test', clock.now()), fresh);
      const c = (await store.read([key('c', 'test')])).get('c|test');
      expect(c?.requestedAt).toBeUndefined();
      expect(c?.viewedAt).toEqual(clock.now());
      expect((await store.due(10)).map(snapshotId)).toEqual([
        'a|test',
        'b|test',
        'd|test',
      ]);
    });

    it('does not request a snapshot read recently enough, and adds a row for one never seen', async () => {
      const { clock, store } = await setup();
      const fresh = new Date(clock.now().getTime() + 3_600_000);
      await store.save(key('a', 'qa'), summary('qa', clock.now()), fresh);
      clock.advance(10_000);
      await store.markViewed([key('a', 'qa'), key('new', 'qa')], {
        staleBefore: new Date(clock.now().getTime() - 60_000),
        dueBy: new Date(clock.now().getTime() + 60_000),
      });
      const read = await store.read([key('a', 'qa'), key('new', 'qa')]);
      expect(read.get('a|qa')?.requestedAt).toBeUndefined();
      expect(read.get('a|qa')?.viewedAt).toEqual(clock.now());
      expect(read.get('new|qa')?.requestedAt).toEqual(clock.now());
      // A view pulls the next read of a snapshot in to the hot interval.
      expect(read.get('a|qa')?.dueAt).toEqual(
        new Date(clock.now().getTime() + 60_000),
      );
    });

    it('keeps only the environments still named', async () => {
      const { store } = await setup();
      await store.ensure([key('a', 'qa'), key('a', 'test'), key('b', 'qa')]);
      expect(await store.retainOnly([key('a', 'qa')])).toBe(2);
      expect((await store.due(10)).map(snapshotId)).toEqual(['a|qa']);
    });
  });
});
