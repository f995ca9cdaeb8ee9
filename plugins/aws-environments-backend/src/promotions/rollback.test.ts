import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  ALICE,
  BOB,
  CAROL,
  Harness,
  PROD_APPROVERS,
  SHOP,
  SHOP_SYSTEM,
  SHOP_WORKER,
  createHarness,
  createTestDatabases,
  emptiedBeforeEachTest,
  runPass,
  seedConfig,
  snapshot,
  userCredentials,
} from './__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

const alice = userCredentials(ALICE);
const bob = userCredentials(BOB);
const carol = userCredentials(CAROL);

describe('rollback', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    const database = emptiedBeforeEachTest(
      databases,
      databaseId as TestDatabaseId,
    );

    beforeEach(async () => {
      knex = database();
    });

    /** qa ran shop:0.9.0; alice promoted shop:1.0.0 from test and it deployed. */
    async function promotedIntoQa(): Promise<Harness & { promotedId: string }> {
      const h = await createHarness({ knex });
      h.state.set('test', 'shop:1.0.0');
      h.state.set('qa', 'shop:0.9.0');
      const { id } = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      await h.service.approve(id, undefined, bob);
      await runPass(h.processor);
      expect((await h.requests.get(id))?.status).toBe('succeeded');
      return { ...h, promotedId: id };
    }

    it('redeploys what ran before the last successful deployment, as a rollback in the history', async () => {
      const h = await promotedIntoQa();
      expect(await h.requests.get(h.promotedId)).toMatchObject({
        kind: 'promotion',
        replacedImage: 'shop:0.9.0',
      });
      expect(
        (await h.service.summary([SHOP], alice))[SHOP].qa.rollbackTo,
      ).toEqual({
        image: 'shop:0.9.0',
        undoes: h.promotedId,
        replaces: 'shop:1.0.0',
      });

      const rollback = await h.service.rollback(
        { entityRef: SHOP, environment: 'qa' },
        alice,
      );
      expect(rollback).toMatchObject({
        kind: 'rollback',
        from: 'qa',
        to: 'qa',
        image: 'shop:0.9.0',
        rollbackOf: h.promotedId,
        // qa's policy: reviewed
        status: 'pending_review',
        requestedBy: ALICE,
      });
      await expect(
        h.service.approve(rollback.id, undefined, alice),
      ).rejects.toThrow(/four-eyes/);
      await h.service.approve(rollback.id, 'back out', bob);
      const deploysBefore = h.deployer.calls.length;
      await runPass(h.processor);

      expect(h.deployer.calls.slice(deploysBefore)).toEqual([
        expect.objectContaining({
          project: 'shop',
          environment: 'qa',
          image: 'shop:0.9.0',
        }),
      ]);
      const details = await h.service.get(rollback.id, bob);
      expect(details.status).toBe('succeeded');
      expect(details.events[0]).toMatchObject({
        action: 'requested',
        actor: ALICE,
        message: expect.stringContaining(
          `Requested rollback of qa to shop:0.9.0, undoing ${h.promotedId}`,
        ),
      });
      // A rollback into qa (followed by auto staging) never moves on.
      expect(details.events.map(e => e.action)).not.toContain(
        'auto_promotion_requested',
      );
      expect(
        await h.requests.list({ statuses: ['approved'], limit: 10 }),
      ).toEqual([]);
      expect(h.notifications.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: ALICE },
        payload: expect.objectContaining({
          title: 'Rollback of shop in qa succeeded',
        }),
      });
    });

    it('after a failed deployment, returns to the image before the last successful one', async () => {
      const h = await promotedIntoQa();
      // The next promotion fails; CloudFormation keeps shop:1.0.0 running.
      h.state.set('test', 'shop:1.1.0');
      h.deployer.result = { ok: false, reason: 'UPDATE_ROLLBACK_COMPLETE' };
      const failed = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      await h.service.approve(failed.id, undefined, bob);
      await runPass(h.processor);
      expect((await h.requests.get(failed.id))?.status).toBe('failed');
      h.deployer.result = { ok: true };

      const rollback = await h.service.rollback(
        { entityRef: SHOP_WORKER, environment: 'qa' },
        alice,
      );
      expect(rollback).toMatchObject({
        image: 'shop:0.9.0',
        rollbackOf: h.promotedId,
        entityRef: SHOP_WORKER,
      });
    });

    it('needs the prod approvers into prod', async () => {
      const h = await createHarness({
        knex,
        config: seedConfig({ prodApprovers: [PROD_APPROVERS] }),
      });
      for (const [image, replaced] of [
        ['shop:1.0.0', 'shop:0.9.0'],
        ['shop:1.1.0', 'shop:1.0.0'],
      ]) {
        h.state.set('staging', image);
        h.state.set('prod', replaced);
        const { id } = await h.service.create(
          { entityRef: SHOP, from: 'staging', to: 'prod' },
          alice,
        );
        await h.service.approve(id, undefined, carol);
        await runPass(h.processor);
      }
      const rollback = await h.service.rollback(
        { entityRef: SHOP, environment: 'prod' },
        alice,
      );
      expect(rollback).toMatchObject({
        status: 'pending_review',
        image: 'shop:1.0.0',
      });
      await expect(
        h.service.approve(rollback.id, undefined, bob),
      ).rejects.toThrow(/Only group:default\/prod-approvers may review/);
    });

    describe('refuses with a clear reason and changes nothing', () => {
      const cases: Array<{
        name: string;
        prepare?: (h: Harness) => Promise<unknown>;
        call: (h: Harness) => Promise<unknown>;
        error: string;
        message: RegExp;
      }> = [
        {
          name: 'an environment without a deployment to undo',
          call: h =>
            h.service.rollback({ entityRef: SHOP, environment: 'prod' }, alice),
          error: 'ConflictError',
          message:
            /^Nothing to roll back to in prod: the history of project shop has no successful deployment there/,
        },
        {
          name: 'a deployment waiting or running in the environment',
          prepare: h => {
            h.state.set('test', 'shop:1.1.0');
            return h.service.create(
              { entityRef: SHOP, from: 'test', to: 'qa' },
              alice,
            );
          },
          call: h =>
            h.service.rollback({ entityRef: SHOP, environment: 'qa' }, bob),
          error: 'ConflictError',
          message: /^Project shop already has an open promotion into qa/,
        },
        {
          name: 'an unknown environment',
          call: h =>
            h.service.rollback({ entityRef: SHOP, environment: 'dev' }, alice),
          error: 'InputError',
          message: /^environment: "dev" is not a configured environment/,
        },
        {
          name: 'a System',
          call: h =>
            h.service.rollback(
              { entityRef: SHOP_SYSTEM, environment: 'qa' },
              alice,
            ),
          error: 'InputError',
          message: /^entityRef: system:default\/shop is a System/,
        },
      ];

      it.each(cases)('$name', async ({ prepare, call, error, message }) => {
        const h = await promotedIntoQa();
        await prepare?.(h);
        const before = await snapshot(h.knex);
        await expect(call(h)).rejects.toMatchObject({
          name: error,
          message: expect.stringMatching(message),
        });
        expect(await snapshot(h.knex)).toEqual(before);
      });
    });

    it('says nothing can be rolled back when the last success replaced the same image', async () => {
      const h = await createHarness({ knex });
      h.state.set('test', 'shop:1.0.0');
      h.state.set('qa', 'shop:1.0.0');
      const { id } = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      await h.service.approve(id, undefined, bob);
      await runPass(h.processor);
      expect(
        (await h.service.summary([SHOP], alice))[SHOP].qa,
      ).not.toHaveProperty('rollbackTo');
      await expect(
        h.service.rollback({ entityRef: SHOP, environment: 'qa' }, alice),
      ).rejects.toThrow(/^Nothing to roll back to in qa/);
    });
  });
});
