import { DeliveryMetricsQuery } from './DeliveryMetricsQuery';
import { NewPromotion } from './PromotionRequestStore';
import { eachStoreDatabase, newPromotion } from './__testUtils__/storeFixtures';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const PATH = ['test', 'qa', 'staging', 'prod'];

describe('DeliveryMetricsQuery', () => {
  const stores = eachStoreDatabase();

  describe.each(stores.ids)('on %s', databaseId => {
    async function setup() {
      const s = await stores.init(databaseId);
      /** Requests at the clock, deploys for `minutes`, finishes; returns its id and end. */
      async function deploy(
        request: Partial<NewPromotion>,
        ok: boolean,
        minutes = 10,
      ) {
        const { id } = await s.requests.insert(newPromotion(request));
        await s.leases.claim(id, 'replica', 60 * MINUTE);
        s.clock.advance(minutes * MINUTE);
        await s.leases.finish({
          id,
          claimer: 'replica',
          outcome: ok ? { ok: true } : { ok: false, reason: 'rolled back' },
        });
        return { id, at: s.clock.now() };
      }
      return { ...s, deploy, metrics: new DeliveryMetricsQuery(s.knex) };
    }

    it('computes the four metrics on a known history', async () => {
      const { clock, deploy, metrics } = await setup();
      const start = clock.now();
      // An old deployment, outside the window, and another project's.
      await deploy({ from: 'qa', to: 'staging', image: 'shop:0.1.0' }, false);
      clock.advance(10 * 24 * 60 * MINUTE);
      const since = clock.now();
      await deploy(
        { project: 'other', entityRef: 'component:default/o' },
        false,
      );

      // shop:1.0.0 goes all the way: lead time from its first request out of test.
      const leadStart = clock.now();
      await deploy({ image: 'shop:1.0.0' }, true);
      clock.advance(60 * MINUTE);
      await deploy({ from: 'qa', to: 'staging', image: 'shop:1.0.0' }, true);
      clock.advance(60 * MINUTE);
      const delivered = await deploy(
        { from: 'staging', to: 'prod', image: 'shop:1.0.0' },
        true,
      );

      // qa: shop:1.1.0 fails, shop:1.2.0 restores it 30 minutes later.
      clock.advance(60 * MINUTE);
      const failed = await deploy({ image: 'shop:1.1.0' }, false);
      clock.advance(20 * MINUTE);
      const fixed = await deploy({ image: 'shop:1.2.0' }, true);

      // staging: shop:1.2.0 deploys, then a rollback undoes it.
      const bad = await deploy(
        { from: 'qa', to: 'staging', image: 'shop:1.2.0' },
        true,
      );
      clock.advance(5 * MINUTE);
      const rollback = await deploy(
        {
          from: 'staging',
          to: 'staging',
          image: 'shop:1.0.0',
          kind: 'rollback',
          rollbackOf: bad.id,
        },
        true,
      );

      // prod: a failure nothing has restored yet.
      await deploy({ from: 'staging', to: 'prod', image: 'shop:1.2.0' }, false);
      const until = clock.now();

      const environments = await metrics.environments({
        project: 'shop',
        environments: PATH,
        since,
        until,
      });
      const days = (until.getTime() - since.getTime()) / (24 * 60 * MINUTE);
      const perWeek = (n: number) => Math.round((n / days) * 7 * 10) / 10;
      expect(environments).toEqual([
        {
          environment: 'test',
          deployments: 0,
          deploymentsPerWeek: 0,
          changes: 0,
          failed: 0,
          rolledBack: 0,
          changeFailureRate: undefined,
          timeToRestore: {
            restored: 0,
            unrestored: 0,
            medianMinutes: undefined,
          },
        },
        {
          environment: 'qa',
          deployments: 2,
          deploymentsPerWeek: perWeek(2),
          changes: 3,
          failed: 1,
          rolledBack: 0,
          changeFailureRate: 1 / 3,
          timeToRestore: {
            restored: 1,
            unrestored: 0,
            medianMinutes: (fixed.at.getTime() - failed.at.getTime()) / MINUTE,
          },
        },
        {
          environment: 'staging',
          // the promotions and the rollback
          deployments: 3,
          deploymentsPerWeek: perWeek(3),
          changes: 2,
          failed: 0,
          rolledBack: 1,
          changeFailureRate: 0.5,
          timeToRestore: {
            restored: 1,
            unrestored: 0,
            medianMinutes: (rollback.at.getTime() - bad.at.getTime()) / MINUTE,
          },
        },
        {
          environment: 'prod',
          deployments: 1,
          deploymentsPerWeek: perWeek(1),
          changes: 2,
          failed: 1,
          rolledBack: 0,
          changeFailureRate: 0.5,
          timeToRestore: {
            restored: 0,
            unrestored: 1,
            medianMinutes: undefined,
          },
        },
      ]);
      expect(environments[1].timeToRestore.medianMinutes).toBe(30);
      expect(environments[2].timeToRestore.medianMinutes).toBe(15);

      const lead = await metrics.leadTimes({
        project: 'shop',
        first: 'test',
        last: 'prod',
        since,
      });
      const leadMinutes =
        (delivered.at.getTime() - leadStart.getTime()) / MINUTE;
      expect(leadMinutes).toBe(150);
      expect(lead).toEqual({
        medianMinutes: leadMinutes,
        images: [
          {
            image: 'shop:1.0.0',
            startedAt: leadStart.toISOString(),
            deliveredAt: delivered.at.toISOString(),
            minutes: leadMinutes,
          },
        ],
      });

      // The whole history: the old failure in staging counts too.
      const all = await metrics.environments({
        project: 'shop',
        environments: ['staging'],
        since: start,
        until,
      });
      expect(all[0]).toMatchObject({ changes: 3, failed: 1, rolledBack: 1 });
    });

    it('takes the median lead time over the images delivered', async () => {
      const { clock, deploy, metrics } = await setup();
      const since = clock.now();
      for (const [image, wait] of [
        ['shop:1.0.0', 10],
        ['shop:2.0.0', 50],
        ['shop:3.0.0', 20],
      ] as const) {
        await deploy({ image }, true, 0);
        clock.advance(wait * MINUTE);
        await deploy({ from: 'staging', to: 'prod', image }, true, 0);
      }
      const lead = await metrics.leadTimes({
        project: 'shop',
        first: 'test',
        last: 'prod',
        since,
      });
      expect(lead.images.map(i => [i.image, i.minutes])).toEqual([
        ['shop:3.0.0', 20],
        ['shop:2.0.0', 50],
        ['shop:1.0.0', 10],
      ]);
      expect(lead.medianMinutes).toBe(20);
    });
  });
});
