import { TestDatabaseId } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import {
  awsEnvironmentsPromotionApprovePermission,
  awsEnvironmentsPromotionCreatePermission,
} from '@envplane/plugin-aws-environments-common';
import {
  ALICE,
  BOB,
  CAROL,
  HIDDEN,
  Harness,
  PROD_APPROVERS,
  SHOP,
  SHOP_STACK,
  SHOP_SYSTEM,
  SHOP_WORKER,
  UNANNOTATED,
  createHarness,
  createTestDatabases,
  emptiedBeforeEachTest,
  seedConfig,
  snapshot,
  userCredentials,
} from './__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

const alice = userCredentials(ALICE);
const bob = userCredentials(BOB);
const carol = userCredentials(CAROL);

describe('PromotionService', () => {
  const databases = createTestDatabases();

  async function setup(knex: Knex, config?: ReturnType<typeof seedConfig>) {
    const harness = await createHarness({ knex, config });
    harness.state.set('test', 'shop:1.0.0');
    harness.state.set('qa', 'shop:0.9.0');
    return harness;
  }

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    const database = emptiedBeforeEachTest(
      databases,
      databaseId as TestDatabaseId,
    );

    it('records a request into a reviewed environment as pending_review, with its history, and notifies the owner', async () => {
      const h = await setup(database());
      const created = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      expect(created).toMatchObject({
        entityRef: SHOP,
        project: 'shop',
        from: 'test',
        to: 'qa',
        image: 'shop:1.0.0',
        status: 'pending_review',
        trigger: 'manual',
        requestedBy: ALICE,
        reviewRequired: true,
      });
      expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

      const details = await h.service.get(created.id, bob);
      expect(details.events).toEqual([
        expect.objectContaining({
          action: 'requested',
          actor: ALICE,
          toStatus: 'pending_review',
        }),
      ]);
      expect(h.notifications.send).toHaveBeenCalledWith({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/team-a'],
          excludeEntityRef: ALICE,
        },
        payload: expect.objectContaining({
          title: 'Review: promote shop to qa',
          link: '/aws-environments',
        }),
      });
    });

    it('reads the image to promote fresh from AWS, not from the status cache', async () => {
      const h = await setup(database());
      await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      expect(h.state.reads).toContainEqual({
        environment: 'test',
        fresh: true,
      });
      expect(h.state.reads).not.toContainEqual({
        environment: 'test',
        fresh: false,
      });
    });

    it('approves a request without review directly', async () => {
      const h = await setup(database());
      const noReview = await createHarness({
        knex: h.knex,
        migrate: false,
        state: h.state,
        config: seedConfig({ qaReviewRequired: false }),
      });
      const created = await noReview.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa', image: 'shop:1.0.0' },
        alice,
      );
      expect(created.status).toBe('approved');
      const { events } = await noReview.service.get(created.id, alice);
      expect(events).toEqual([
        expect.objectContaining({
          action: 'requested',
          fromStatus: undefined,
          toStatus: 'approved',
        }),
      ]);
      expect(noReview.notifications.send).not.toHaveBeenCalled();
    });

    it('lets someone else approve, recording who, when and the comment, and tells the requester', async () => {
      const h = await setup(database());
      const { id } = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      const approved = await h.service.approve(id, 'looks good', bob);
      expect(approved.status).toBe('approved');
      expect(approved.decision).toEqual({
        approved: true,
        by: BOB,
        at: expect.any(String),
        comment: 'looks good',
      });
      const { events } = await h.service.get(id, alice);
      expect(
        events.map(e => [e.action, e.actor, e.fromStatus, e.toStatus]),
      ).toEqual([
        ['requested', ALICE, undefined, 'pending_review'],
        ['approved', BOB, 'pending_review', 'approved'],
      ]);
      expect(h.notifications.send).toHaveBeenLastCalledWith({
        recipients: { type: 'entity', entityRef: ALICE },
        payload: expect.objectContaining({
          title: 'Promotion of shop to qa approved',
        }),
      });
      // Rejected requests close, so a new one may be made; approved ones stay open.
      await expect(
        h.service.create({ entityRef: SHOP, from: 'test', to: 'qa' }, alice),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('rejects, closing the request so a new one can be made', async () => {
      const h = await setup(database());
      const { id } = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      const rejected = await h.service.reject(id, 'not yet', bob);
      expect(rejected).toMatchObject({
        status: 'rejected',
        decision: { approved: false, by: BOB, comment: 'not yet' },
      });
      expect(rejected.finishedAt).toBeDefined();
      const again = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      expect(again.status).toBe('pending_review');
    });

    it('lets the requester withdraw their own request without the approve permission', async () => {
      const h = await setup(database());
      const { id } = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      h.setPolicy(permission =>
        permission === awsEnvironmentsPromotionApprovePermission.name
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      );
      const withdrawn = await h.service.reject(id, undefined, alice);
      expect(withdrawn.status).toBe('rejected');
      const { events } = await h.service.get(id, alice);
      expect(events[1].message).toBe('Withdrawn by the requester');
    });

    describe('four eyes', () => {
      it('never lets the requester approve their own request, even when the policy allows everything', async () => {
        const h = await setup(database());
        const { id } = await h.service.create(
          { entityRef: SHOP, from: 'test', to: 'qa' },
          alice,
        );
        const before = await snapshot(h.knex);
        await expect(h.service.approve(id, undefined, alice)).rejects.toThrow(
          /You requested promotion .* so you cannot approve it/,
        );
        expect(await snapshot(h.knex)).toEqual(before);
      });

      it('refuses a reviewer without the approve permission for this request', async () => {
        const h = await setup(database());
        const { id } = await h.service.create(
          { entityRef: SHOP, from: 'test', to: 'qa' },
          alice,
        );
        h.setPolicy((permission, user) =>
          permission === awsEnvironmentsPromotionApprovePermission.name &&
          user === BOB
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        );
        const before = await snapshot(h.knex);
        await expect(
          h.service.approve(id, undefined, bob),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            awsEnvironmentsPromotionApprovePermission.name,
          ),
        });
        expect(await snapshot(h.knex)).toEqual(before);
        expect(h.authorize).toHaveBeenLastCalledWith(
          [
            {
              permission: awsEnvironmentsPromotionApprovePermission,
              resourceRef: `promotion:${id}`,
            },
          ],
          { credentials: bob },
        );
      });

      it('only lets configured approvers (by group membership) approve into prod', async () => {
        const h = await setup(
          database(),
          seedConfig({ prodApprovers: ['prod-approvers'] }),
        );
        h.state.set('staging', 'shop:0.9.0');
        const { id } = await h.service.create(
          { entityRef: SHOP, from: 'staging', to: 'prod' },
          alice,
        );
        expect(h.notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: expect.objectContaining({
              entityRef: [PROD_APPROVERS],
            }),
          }),
        );
        await expect(h.service.approve(id, undefined, bob)).rejects.toThrow(
          `Only ${PROD_APPROVERS} may review promotions into prod`,
        );
        const approved = await h.service.approve(id, undefined, carol);
        expect(approved.decision?.by).toBe(CAROL);
      });

      it('treats the user behind an automatic request as its requester', async () => {
        const h = await setup(database());
        const auto = await h.requests.insert({
          entityRef: SHOP,
          project: 'shop',
          from: 'qa',
          to: 'staging',
          image: 'shop:0.9.0',
          trigger: 'auto',
          requestedBy: 'system:aws-environments',
          onBehalfOf: ALICE,
          reviewRequired: true,
        });
        await expect(
          h.service.approve(auto.id, undefined, alice),
        ).rejects.toThrow(/cannot approve it/);
        expect((await h.service.approve(auto.id, undefined, bob)).status).toBe(
          'approved',
        );
      });
    });

    describe('refuses bad input with a clear 4xx and changes nothing', () => {
      const cases: Array<{
        name: string;
        call: (h: Awaited<ReturnType<typeof setup>>) => Promise<unknown>;
        error: string;
        message: RegExp;
      }> = [
        {
          name: 'a target that is not the next environment',
          call: h =>
            h.service.create(
              { entityRef: SHOP, from: 'test', to: 'prod' },
              alice,
            ),
          error: 'InputError',
          message: /^to: "prod" is not the environment after "test".*"qa"/,
        },
        {
          name: 'promoting backwards',
          call: h =>
            h.service.create(
              { entityRef: SHOP, from: 'qa', to: 'test' },
              alice,
            ),
          error: 'InputError',
          message: /^to: "test" is not the environment after "qa"/,
        },
        {
          name: 'an unknown source environment',
          call: h =>
            h.service.create(
              { entityRef: SHOP, from: 'dev', to: 'test' },
              alice,
            ),
          error: 'InputError',
          message: /^from: "dev" is not a configured environment/,
        },
        {
          name: 'promoting out of the last environment',
          call: h =>
            h.service.create({ entityRef: SHOP, from: 'prod', to: 'x' }, alice),
          error: 'InputError',
          message: /^from: "prod" is the last environment/,
        },
        {
          name: 'an image that does not run in the source',
          call: h =>
            h.service.create(
              { entityRef: SHOP, from: 'test', to: 'qa', image: 'shop:6.6.6' },
              alice,
            ),
          error: 'InputError',
          message:
            /^image: "shop:6.6.6" is not running in test \(it runs "shop:1.0.0"\)/,
        },
        {
          name: 'a source where nothing runs',
          call: h =>
            h.service.create(
              { entityRef: SHOP, from: 'staging', to: 'prod' },
              alice,
            ),
          error: 'InputError',
          message: /^from: no image is running in staging/,
        },
        {
          name: 'an invalid entity ref',
          call: h =>
            h.service.create(
              { entityRef: 'shop', from: 'test', to: 'qa' },
              alice,
            ),
          error: 'InputError',
          message: /^entityRef is invalid/,
        },
        ...[
          [SHOP_SYSTEM, 'System'],
          [SHOP_STACK, 'Resource'],
        ].map(([entityRef, kind]) => ({
          name: `a request through a ${kind} of the project`,
          call: (h: Harness) =>
            h.service.create({ entityRef, from: 'test', to: 'qa' }, alice),
          error: 'InputError',
          message: new RegExp(
            `^entityRef: ${entityRef} is a ${kind}; promotions are requested through the Component`,
          ),
        })),
        {
          name: 'a Component without the project annotation',
          call: h =>
            h.service.create(
              { entityRef: UNANNOTATED, from: 'test', to: 'qa' },
              alice,
            ),
          error: 'InputError',
          message:
            /^entityRef: The entity has no aws-environments.io\/project annotation/,
        },
        {
          name: 'a duplicate through another Component of the same project',
          call: h => {
            h.state.set('qa', 'shop:0.9.0', 'healthy', SHOP_WORKER);
            return h.service.create(
              { entityRef: SHOP_WORKER, from: 'qa', to: 'staging' },
              bob,
            );
          },
          error: 'ConflictError',
          message:
            /^Project shop already has an open promotion into staging \(.*, pending_review, requested through component:default\/shop\)/,
        },
        {
          name: 'an entity the caller cannot see',
          call: h =>
            h.service.create(
              { entityRef: HIDDEN, from: 'test', to: 'qa' },
              alice,
            ),
          error: 'NotFoundError',
          message: /component:default\/hidden not found/,
        },
        {
          name: 'a caller without the create permission',
          call: h => {
            h.setPolicy(permission =>
              permission === awsEnvironmentsPromotionCreatePermission.name
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            );
            return h.service.create(
              { entityRef: SHOP, from: 'test', to: 'qa' },
              alice,
            );
          },
          error: 'NotAllowedError',
          message: /may not request promotions of component:default\/shop/,
        },
        {
          name: 'a duplicate open request',
          call: h =>
            h.service.create(
              { entityRef: SHOP, from: 'qa', to: 'staging' },
              bob,
            ),
          error: 'ConflictError',
          message:
            /already has an open promotion into staging \(.*, pending_review, requested through/,
        },
        {
          name: 'approving an already decided request',
          call: async h => {
            const [decided] = await h.requests.list({
              statuses: ['rejected'],
              limit: 1,
            });
            return h.service.approve(decided.id, undefined, bob);
          },
          error: 'ConflictError',
          message:
            /is rejected, no longer waiting for review \(decided by user:default\/bob/,
        },
        {
          name: 'rejecting an already decided request',
          call: async h => {
            const [decided] = await h.requests.list({
              statuses: ['rejected'],
              limit: 1,
            });
            return h.service.reject(decided.id, undefined, bob);
          },
          error: 'ConflictError',
          message: /no longer waiting for review/,
        },
        {
          name: 'approving a request that does not exist',
          call: h =>
            h.service.approve(
              '00000000-0000-0000-0000-000000000000',
              undefined,
              bob,
            ),
          error: 'NotFoundError',
          message: /not found/,
        },
      ];

      it.each(cases)('$name', async ({ call, error, message }) => {
        const h = await setup(database());
        // Some state to protect: an open request into staging and a
        // rejected one into qa.
        await h.service.create(
          { entityRef: SHOP, from: 'qa', to: 'staging' },
          alice,
        );
        const { id } = await h.service.create(
          { entityRef: SHOP, from: 'test', to: 'qa' },
          alice,
        );
        await h.service.reject(id, undefined, bob);
        const before = await snapshot(h.knex);

        await expect(call(h)).rejects.toMatchObject({
          name: error,
          message: expect.stringMatching(message),
        });
        expect(await snapshot(h.knex)).toEqual(before);
      });
    });

    it('lets only one of two concurrent identical requests through', async () => {
      const h = await setup(database());
      const results = await Promise.allSettled([
        h.service.create({ entityRef: SHOP, from: 'test', to: 'qa' }, alice),
        h.service.create({ entityRef: SHOP, from: 'test', to: 'qa' }, bob),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const rejected = results.find(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(rejected.reason.name).toBe('ConflictError');
      expect(await h.requests.list({ limit: 10 })).toHaveLength(1);
    });

    it('lists newest first with filters, and summarizes per entity and environment', async () => {
      const h = await setup(database());
      const first = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      await h.service.reject(first.id, undefined, bob);
      const second = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );

      expect(
        (await h.service.list({ entityRef: SHOP, limit: 10 }, bob)).map(
          p => p.id,
        ),
      ).toEqual([second.id, first.id]);
      expect(
        (await h.service.list({ statuses: ['rejected'], limit: 10 }, bob)).map(
          p => p.id,
        ),
      ).toEqual([first.id]);
      await expect(
        h.service.list({ entityRef: HIDDEN, limit: 10 }, bob),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      // Succeed one into qa by hand through the store's transitions.
      await h.service.approve(second.id, undefined, bob);
      await h.processor.tick();
      await h.processor.idle();

      const summary = await h.service.summary([SHOP, HIDDEN], bob);
      expect(Object.keys(summary)).toEqual([SHOP]);
      expect(summary[SHOP].qa).toEqual({
        lastSucceeded: {
          promotionId: second.id,
          image: 'shop:1.0.0',
          at: expect.any(String),
          requestedBy: ALICE,
        },
        // What ran in qa when the deployment started.
        rollbackTo: {
          image: 'shop:0.9.0',
          undoes: second.id,
          replaces: 'shop:1.0.0',
        },
      });

      // A failed deployment shows up beside the last success, with its reason.
      h.state.set('test', 'shop:1.1.0');
      const third = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      await h.service.approve(third.id, undefined, bob);
      h.deployer.result = { ok: false, reason: 'TaskDefinition UPDATE_FAILED' };
      await h.processor.tick();
      await h.processor.idle();
      const after = await h.service.summary([SHOP], bob);
      expect(after[SHOP].qa.lastSucceeded?.promotionId).toBe(second.id);
      expect(after[SHOP].qa.lastFailed).toMatchObject({
        id: third.id,
        status: 'failed',
        image: 'shop:1.1.0',
        failureReason: 'TaskDefinition UPDATE_FAILED',
      });
    });
  });
});
