import { ALICE, BOB, SHOP } from './__testUtils__/promotionFixtures';
import { eachStoreDatabase, newPromotion } from './__testUtils__/storeFixtures';
import { NewPromotion } from './PromotionRequestStore';
import { PromotionSummaryQuery } from './PromotionSummaryQuery';

jest.setTimeout(60_000);

const OTHER = 'component:default/other';

describe('PromotionSummaryQuery', () => {
  const databases = eachStoreDatabase();

  describe.each(databases.ids)('on %s', databaseId => {
    async function setup() {
      const stores = await databases.init(databaseId);
      const { requests, leases, clock } = stores;
      /** One request deployed to its end, a minute after the previous one. */
      async function deployed(
        request: Partial<NewPromotion>,
        outcome: { ok: true } | { ok: false; reason: string },
      ) {
        clock.advance(60_000);
        const { id } = await requests.insert(newPromotion(request));
        await leases.claim(id, 'a', 60_000);
        return (await leases.finish({ id, claimer: 'a', outcome }))!;
      }
      return {
        ...stores,
        deployed,
        summaries: new PromotionSummaryQuery(stores.knex),
      };
    }

    it('is empty for no entities', async () => {
      const { summaries, deployed } = await setup();
      await deployed({}, { ok: true });
      expect(await summaries.summary([])).toEqual({});
    });

    it('shows per entity and environment the last success, the last failure, the open request and what a rollback deploys', async () => {
      const { summaries, deployed, requests } = await setup();
      await deployed({ image: 'shop:1.0.0' }, { ok: true });
      await deployed({ image: 'shop:1.1.0' }, { ok: false, reason: 'first' });
      const lastFailed = await deployed(
        { image: 'shop:1.2.0' },
        { ok: false, reason: 'rolled back' },
      );
      const lastSucceeded = await deployed(
        { image: 'shop:1.3.0', requestedBy: BOB },
        { ok: true },
      );
      const open = await requests.insert(
        newPromotion({ image: 'shop:1.4.0', reviewRequired: true }),
      );
      const intoStaging = await deployed(
        { from: 'qa', to: 'staging', image: 'shop:1.3.0' },
        { ok: true },
      );
      // Another entity's requests stay out of a summary that does not ask for it.
      await deployed({ entityRef: OTHER, project: 'other' }, { ok: true });

      expect(await summaries.summary([SHOP])).toEqual({
        [SHOP]: {
          qa: {
            lastSucceeded: {
              promotionId: lastSucceeded.id,
              image: 'shop:1.3.0',
              at: lastSucceeded.finishedAt,
              requestedBy: BOB,
            },
            lastFailed,
            pending: open,
            // Stored without the image it replaced: the success before it
            // stands in.
            rollbackTo: {
              image: 'shop:1.0.0',
              undoes: lastSucceeded.id,
              replaces: 'shop:1.3.0',
            },
          },
          staging: {
            lastSucceeded: {
              promotionId: intoStaging.id,
              image: 'shop:1.3.0',
              at: intoStaging.finishedAt,
              requestedBy: ALICE,
            },
          },
        },
      });
      expect(lastFailed.failureReason).toBe('rolled back');
      expect(Object.keys(await summaries.summary([SHOP, OTHER]))).toEqual(
        expect.arrayContaining([SHOP, OTHER]),
      );
    });

    it('counts approved and deploying requests as open, rejected ones not at all', async () => {
      const { summaries, requests, leases } = await setup();
      const rejected = await requests.insert(
        newPromotion({ to: 'prod', reviewRequired: true }),
      );
      await requests.decide({
        id: rejected.id,
        approved: false,
        by: BOB,
        message: 'Rejected',
      });
      const deploying = await requests.insert(newPromotion());
      await leases.claim(deploying.id, 'a', 60_000);
      const approved = await requests.insert(
        newPromotion({ from: 'qa', to: 'staging' }),
      );

      const summary = await summaries.summary([SHOP]);
      expect(summary[SHOP].qa.pending).toMatchObject({
        id: deploying.id,
        status: 'deploying',
      });
      expect(summary[SHOP].staging.pending).toEqual(approved);
      expect(summary[SHOP].prod).toBeUndefined();
    });
  });
});
