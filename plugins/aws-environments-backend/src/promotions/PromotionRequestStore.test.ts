import { ConflictError } from '@backstage/errors';
import { ALICE, BOB, SHOP } from './__testUtils__/promotionFixtures';
import { eachStoreDatabase, newPromotion } from './__testUtils__/storeFixtures';

jest.setTimeout(60_000);

describe('PromotionRequestStore', () => {
  const databases = eachStoreDatabase();

  describe.each(databases.ids)('on %s', databaseId => {
    const setup = () => databases.init(databaseId);

    it('stores a request waiting for review, or approved when none is required', async () => {
      const { requests, clock } = await setup();
      const reviewed = await requests.insert(
        newPromotion({ reviewRequired: true }),
      );
      expect(reviewed).toMatchObject({
        entityRef: SHOP,
        from: 'test',
        to: 'qa',
        image: 'shop:1.0.0',
        status: 'pending_review',
        reviewRequired: true,
        createdAt: clock.now().toISOString(),
      });
      expect(await requests.events(reviewed.id)).toEqual([
        expect.objectContaining({
          action: 'requested',
          actor: ALICE,
          toStatus: 'pending_review',
          message:
            'Requested promotion of shop:1.0.0 from test to qa; waiting for review',
        }),
      ]);

      const direct = await requests.insert(
        newPromotion({ to: 'staging', from: 'qa' }),
        { message: 'Asked by a script' },
      );
      expect(direct.status).toBe('approved');
      expect((await requests.events(direct.id))[0]).toMatchObject({
        toStatus: 'approved',
        message: 'Asked by a script; staging requires no review',
      });
      expect(await requests.get(direct.id)).toEqual(direct);
    });

    it('allows one open request per project and target environment, whichever entity asks', async () => {
      const { requests } = await setup();
      const open = await requests.insert(
        newPromotion({ reviewRequired: true }),
      );

      const second = requests.insert(newPromotion());
      await expect(second).rejects.toThrow(ConflictError);
      await expect(second).rejects.toThrow(
        `Project shop already has an open promotion into qa (${open.id}, pending_review, requested through ${SHOP})`,
      );
      // Another component of the same project deploys the same stacks.
      await expect(
        requests.insert(
          newPromotion({ entityRef: 'component:default/shop-worker' }),
        ),
      ).rejects.toThrow(`Project shop already has an open promotion into qa`);
      // Another target, or another project, is not affected.
      await requests.insert(newPromotion({ from: 'qa', to: 'staging' }));
      await requests.insert(
        newPromotion({
          entityRef: 'component:default/other',
          project: 'other',
        }),
      );
      expect(await requests.getOpen('shop', 'qa')).toEqual(open);

      // Once decided against, the way is free again.
      await requests.decide({
        id: open.id,
        approved: false,
        by: BOB,
        message: 'Rejected',
      });
      expect(await requests.getOpen('shop', 'qa')).toBeUndefined();
      await expect(requests.insert(newPromotion())).resolves.toMatchObject({
        status: 'approved',
      });
    });

    it('lets exactly one of two racing requests into the same environment in', async () => {
      const { requests } = await setup();
      const results = await Promise.allSettled([
        requests.insert(newPromotion()),
        requests.insert(newPromotion({ image: 'shop:2.0.0' })),
      ]);
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const [rejected] = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(rejected.reason).toBeInstanceOf(ConflictError);
      expect(await requests.list({ limit: 10 })).toHaveLength(1);
    });

    it('records one review decision; a late one conflicts', async () => {
      const { requests, clock } = await setup();
      const { id } = await requests.insert(
        newPromotion({ reviewRequired: true }),
      );
      clock.advance(1000);
      const approved = await requests.decide({
        id,
        approved: true,
        by: BOB,
        comment: 'ship it',
        message: 'Approved: ship it',
      });
      expect(approved).toMatchObject({
        status: 'approved',
        decision: {
          approved: true,
          by: BOB,
          comment: 'ship it',
          at: clock.now().toISOString(),
        },
      });
      // An approved request stays open: it still has to be deployed.
      expect(await requests.getOpen('shop', 'qa')).toMatchObject({ id });

      await expect(
        requests.decide({ id, approved: false, by: ALICE, message: 'No' }),
      ).rejects.toThrow(
        new ConflictError(
          `Promotion ${id} is approved, not waiting for review`,
        ),
      );
      await expect(
        requests.decide({ id: 'gone', approved: true, by: BOB, message: 'x' }),
      ).rejects.toThrow('Promotion gone is gone, not waiting for review');
      expect((await requests.events(id)).map(e => e.action)).toEqual([
        'requested',
        'approved',
      ]);
    });

    it('keeps the history in the order it was written, whatever the clock says', async () => {
      const { requests } = await setup();
      const { id } = await requests.insert(newPromotion());
      for (const n of [1, 2, 3]) {
        await requests.addProgress(id, 'instance-a', `step ${n}`);
      }
      await requests.note(id, 'instance-b', 'progress', 'late outcome');
      const events = await requests.events(id);
      expect(events.map(e => e.message)).toEqual([
        'Requested promotion of shop:1.0.0 from test to qa; qa requires no review',
        'step 1',
        'step 2',
        'step 3',
        'late outcome',
      ]);
      // The clock stood still; the order comes from the event ids.
      expect(new Set(events.map(e => e.at)).size).toBe(1);
      expect(events.map(e => e.id)).toEqual(
        [...events.map(e => e.id)].sort((a, b) => a - b),
      );
      expect(events.slice(1).map(e => e.toStatus)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('shortens a huge history line', async () => {
      const { requests } = await setup();
      const { id } = await requests.insert(newPromotion());
      await requests.addProgress(id, 'instance-a', 'x'.repeat(10_000));
      const [, progress] = await requests.events(id);
      expect(progress.message).toHaveLength(4000);
      expect(progress.message?.endsWith('…')).toBe(true);
    });

    it('reads requests by id in the order asked, and lists newest first', async () => {
      const { requests, clock } = await setup();
      const first = await requests.insert(newPromotion());
      clock.advance(1000);
      const second = await requests.insert(
        newPromotion({ from: 'qa', to: 'staging', reviewRequired: true }),
      );
      clock.advance(1000);
      const other = await requests.insert(
        newPromotion({
          entityRef: 'component:default/other',
          project: 'other',
        }),
      );

      expect(await requests.getMany([second.id, 'missing', first.id])).toEqual([
        second,
        undefined,
        first,
      ]);
      expect(await requests.getMany([])).toEqual([]);
      expect((await requests.list({ limit: 10 })).map(p => p.id)).toEqual([
        other.id,
        second.id,
        first.id,
      ]);
      expect((await requests.list({ limit: 2 })).map(p => p.id)).toEqual([
        other.id,
        second.id,
      ]);
      expect(
        (await requests.list({ entityRefs: [SHOP], limit: 10 })).map(p => p.id),
      ).toEqual([second.id, first.id]);
      expect(
        (await requests.list({ statuses: ['pending_review'], limit: 10 })).map(
          p => p.id,
        ),
      ).toEqual([second.id]);
    });

    it('settles a pending automatic follow-up once', async () => {
      const { requests, leases, clock } = await setup();
      const { id } = await requests.insert(newPromotion());
      await leases.claim(id, 'instance-a', 60_000);
      const until = new Date(clock.now().getTime() + 15 * 60_000);
      await leases.finish({
        id,
        claimer: 'instance-a',
        outcome: { ok: true },
        autoPromotionUntil: until,
      });
      expect(await requests.listPendingAutoPromotions()).toEqual([
        { promotion: await requests.get(id), until },
      ]);

      expect(await requests.settleAutoPromotion(id, 'skipped')).toBe(true);
      expect(await requests.settleAutoPromotion(id, 'created')).toBe(false);
      expect(await requests.listPendingAutoPromotions()).toEqual([]);
    });

    it('commits what a transaction wrote only when it completes', async () => {
      const { requests } = await setup();
      await expect(
        requests.transaction(async tx => {
          await tx.insert(newPromotion());
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await requests.list({ limit: 10 })).toEqual([]);

      const created = await requests.transaction(tx =>
        tx.insert(newPromotion()),
      );
      expect(await requests.get(created.id)).toEqual(created);
    });
  });
});
