import { eachStoreDatabase, newPromotion } from './__testUtils__/storeFixtures';

jest.setTimeout(60_000);

const LEASE = 60_000;

describe('PromotionLeaseStore', () => {
  const databases = eachStoreDatabase();

  describe.each(databases.ids)('on %s', databaseId => {
    const setup = () => databases.init(databaseId);

    it('queues approved requests oldest first', async () => {
      const { requests, leases, clock } = await setup();
      const first = await requests.insert(newPromotion());
      clock.advance(1000);
      await requests.insert(newPromotion({ to: 'prod', reviewRequired: true }));
      clock.advance(1000);
      const third = await requests.insert(
        newPromotion({ from: 'qa', to: 'staging' }),
      );
      expect(await leases.listApprovedIds(10)).toEqual([first.id, third.id]);
      expect(await leases.listApprovedIds(1)).toEqual([first.id]);
    });

    it('gives a claim to exactly one of several instances', async () => {
      const { requests, leases, clock } = await setup();
      const { id } = await requests.insert(newPromotion());
      const claims = await Promise.all(
        ['a', 'b', 'c'].map(claimer => leases.claim(id, claimer, LEASE)),
      );
      const won = claims.filter(Boolean);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({
        status: 'deploying',
        startedAt: clock.now().toISOString(),
      });
      const winner = ['a', 'b', 'c'][claims.indexOf(won[0])];
      expect(await leases.listClaimedIds(winner)).toEqual([id]);
      expect(await leases.listApprovedIds(10)).toEqual([]);
      expect(
        (await requests.events(id)).filter(e => e.action === 'deploy_started'),
      ).toEqual([
        expect.objectContaining({
          actor: winner,
          fromStatus: 'approved',
          toStatus: 'deploying',
          message: `Deployment started by backend instance ${winner}`,
        }),
      ]);
      // Nor can a request waiting for review be claimed.
      const pending = await requests.insert(
        newPromotion({ to: 'prod', reviewRequired: true }),
      );
      expect(await leases.claim(pending.id, 'a', LEASE)).toBeUndefined();
    });

    it('lets a lease expire only when its holder stops renewing it', async () => {
      const { requests, leases, clock } = await setup();
      const { id } = await requests.insert(newPromotion());
      await leases.claim(id, 'a', LEASE);

      clock.advance(LEASE / 2);
      expect(await leases.renewLease(id, 'a', LEASE)).toBe(true);
      expect(await leases.renewLease(id, 'b', LEASE)).toBe(false);
      clock.advance(LEASE / 2 + 1);
      expect(await leases.listExpiredClaimIds()).toEqual([]);
      expect(await leases.takeOverExpiredClaim(id, 'b', LEASE)).toBeUndefined();
      expect(await leases.failExpiredClaim(id, 'b', 'gone')).toBeUndefined();

      clock.advance(LEASE);
      expect(await leases.listExpiredClaimIds()).toEqual([id]);
    });

    it('hands an expired claim over to one instance, and the old holder loses it', async () => {
      const { requests, leases, clock } = await setup();
      const { id } = await requests.insert(newPromotion());
      await leases.claim(id, 'a', LEASE);
      clock.advance(LEASE + 1);

      const takeovers = await Promise.all([
        leases.takeOverExpiredClaim(id, 'b', LEASE),
        leases.takeOverExpiredClaim(id, 'c', LEASE),
      ]);
      const taken = takeovers.filter(Boolean);
      expect(taken).toEqual([
        {
          promotion: expect.objectContaining({ id, status: 'deploying' }),
          previousClaimer: 'a',
        },
      ]);
      const holder = takeovers[0] ? 'b' : 'c';
      expect(await leases.listClaimedIds(holder)).toEqual([id]);
      expect(await leases.listClaimedIds('a')).toEqual([]);
      expect(await leases.listExpiredClaimIds()).toEqual([]);

      // The old holder can neither renew nor finish what it lost.
      expect(await leases.renewLease(id, 'a', LEASE)).toBe(false);
      expect(
        await leases.finish({ id, claimer: 'a', outcome: { ok: true } }),
      ).toBeUndefined();
      expect(
        await leases.finish({ id, claimer: holder, outcome: { ok: true } }),
      ).toMatchObject({ status: 'succeeded' });
      // A take-over changes no status, so it writes no event.
      expect((await requests.events(id)).map(e => e.action)).toEqual([
        'requested',
        'deploy_started',
        'succeeded',
      ]);
    });

    it('fails an expired claim once and frees the environment', async () => {
      const { requests, leases, clock } = await setup();
      const { id } = await requests.insert(newPromotion());
      await leases.claim(id, 'a', LEASE);
      clock.advance(LEASE + 1);

      const failed = await leases.failExpiredClaim(id, 'system', 'Interrupted');
      expect(failed).toMatchObject({
        status: 'failed',
        failureReason: 'Interrupted',
        finishedAt: clock.now().toISOString(),
      });
      expect(
        await leases.failExpiredClaim(id, 'system', 'again'),
      ).toBeUndefined();
      expect((await requests.events(id)).pop()).toMatchObject({
        action: 'failed',
        actor: 'system',
        message: 'Interrupted (claimed by a)',
      });
      expect(await requests.getOpen('shop', 'qa')).toBeUndefined();
      expect(await leases.listExpiredClaimIds()).toEqual([]);
    });

    it('finishes a deployment with its outcome', async () => {
      const { requests, leases, clock } = await setup();
      const ok = await requests.insert(newPromotion());
      const bad = await requests.insert(newPromotion({ to: 'prod' }));
      await leases.claim(ok.id, 'a', LEASE);
      await leases.claim(bad.id, 'a', LEASE);

      const until = new Date(clock.now().getTime() + 1000);
      expect(
        await leases.finish({
          id: ok.id,
          claimer: 'a',
          outcome: { ok: true },
          autoPromotionUntil: until,
        }),
      ).toMatchObject({ status: 'succeeded' });
      expect(await requests.listPendingAutoPromotions()).toEqual([
        { promotion: expect.objectContaining({ id: ok.id }), until },
      ]);

      const reason = `UPDATE_ROLLBACK_COMPLETE: ${'r'.repeat(5000)}`;
      const failed = await leases.finish({
        id: bad.id,
        claimer: 'a',
        outcome: { ok: false, reason },
        message: 'The stack rolled back',
      });
      expect(failed?.status).toBe('failed');
      expect(failed?.failureReason).toHaveLength(4000);
      expect((await requests.events(bad.id)).pop()?.message).toBe(
        'The stack rolled back',
      );
      // Finished requests hold no lease any more.
      clock.advance(LEASE * 2);
      expect(await leases.listExpiredClaimIds()).toEqual([]);
      expect(await requests.getOpen('shop', 'qa')).toBeUndefined();
      expect(await requests.getOpen('shop', 'prod')).toBeUndefined();
    });
  });
});
