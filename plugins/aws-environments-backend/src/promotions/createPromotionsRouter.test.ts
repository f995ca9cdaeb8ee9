import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PromotionDetails,
  PromotionRequest,
  RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
  awsEnvironmentsPermissions,
  awsEnvironmentsPromotionApprovePermission,
  awsEnvironmentsPromotionCreatePermission,
} from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  ALICE,
  BOB,
  CAROL,
  FakeDeployer,
  FakeStateReader,
  HIDDEN,
  SHOP,
  SHOP_STACK,
  SHOP_SYSTEM,
  SHOP_WORKER,
  UNANNOTATED,
  catalogEntities,
  createTestDatabases,
  emptiedBeforeEachTest,
  seedConfig,
  snapshot,
  userInfoFor,
} from './__testUtils__/promotionFixtures';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionRequestStore } from './PromotionRequestStore';
import { newPromotion } from './__testUtils__/storeFixtures';
import {
  createPromotionConditionalDecision,
  createPromotionWorkflow,
  promotionConditions,
} from './index';

jest.setTimeout(60_000);

const DAVE = 'user:default/dave';
const BASE = '/api/aws-environments';
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

describe('promotions HTTP API', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let server: Parameters<typeof request>[0];
    let state: FakeStateReader;
    let deployer: FakeDeployer;
    const send = jest.fn(async () => {});
    const scheduleTask = jest.fn(async () => {});

    /**
     * A permission policy, evaluated the way the permission backend does:
     * conditional decisions are resolved by the plugin's apply-conditions
     * endpoint against the stored promotion.
     *
     * - dave may do nothing with promotions;
     * - carol may approve only promotions into prod (IS_TARGET_ENVIRONMENT);
     * - everyone else is allowed.
     */
    async function policy(
      user: string,
      permissionName: string,
      resourceRef?: string,
    ): Promise<AuthorizeResult.ALLOW | AuthorizeResult.DENY> {
      if (user === DAVE) {
        return AuthorizeResult.DENY;
      }
      if (
        user === CAROL &&
        permissionName === awsEnvironmentsPromotionApprovePermission.name
      ) {
        const decision = createPromotionConditionalDecision(
          awsEnvironmentsPromotionApprovePermission,
          promotionConditions.isTargetEnvironment({ environments: ['prod'] }),
        );
        const response = await request(server)
          .post(`${BASE}/.well-known/backstage/permissions/apply-conditions`)
          .set('Authorization', mockCredentials.service.header())
          .send({
            items: [
              {
                id: '1',
                resourceRef,
                resourceType: decision.resourceType,
                conditions: decision.conditions,
              },
            ],
          });
        expect(response.status).toBe(200);
        return response.body.items[0].result;
      }
      return AuthorizeResult.ALLOW;
    }

    const authorize = jest.fn(
      async (
        requests: { permission: { name: string }; resourceRef?: string }[],
        { credentials }: { credentials: Parameters<typeof userInfoFor>[0] },
      ): Promise<DefinitivePolicyDecision[]> =>
        Promise.all(
          requests.map(async r => ({
            result: await policy(
              userInfoFor(credentials).userEntityRef,
              r.permission.name,
              r.resourceRef,
            ),
          })),
        ),
    );

    /** The wiring plugin.ts does, with fakes for the injected deployer and state reader. */
    const promotionsPlugin = createBackendPlugin({
      pluginId: 'aws-environments',
      register(env) {
        env.registerInit({
          deps: {
            config: coreServices.rootConfig,
            logger: coreServices.logger,
            database: coreServices.database,
            scheduler: coreServices.scheduler,
            auth: coreServices.auth,
            httpAuth: coreServices.httpAuth,
            httpRouter: coreServices.httpRouter,
            userInfo: coreServices.userInfo,
            permissions: coreServices.permissions,
            permissionsRegistry: coreServices.permissionsRegistry,
            catalog: catalogServiceRef,
            notifications: notificationService,
          },
          async init({ httpRouter, permissionsRegistry, ...deps }) {
            permissionsRegistry.addPermissions(awsEnvironmentsPermissions);
            const promotions = await createPromotionWorkflow({
              ...deps,
              permissionsRegistry,
              deployer,
              stateReader: state,
            });
            httpRouter.use(promotions.router);
          },
        });
      },
    });

    const database = emptiedBeforeEachTest(databases, databaseId);

    beforeEach(async () => {
      knex = database();
      state = new FakeStateReader();
      state.set('test', 'shop:1.0.0');
      state.set('qa', 'shop:0.9.0');
      state.set('staging', 'shop:0.8.0');
      deployer = new FakeDeployer(state);
      send.mockClear();
      scheduleTask.mockClear();
      authorize.mockClear();
      const backend = await startTestBackend({
        features: [
          promotionsPlugin,
          mockServices.rootConfig.factory({ data: seedConfig().get() as any }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.mock({ scheduleTask }).factory,
          mockServices.permissions.mock({ authorize }).factory,
          mockServices.userInfo.mock({
            getUserInfo: async credentials => userInfoFor(credentials),
          }).factory,
          catalogServiceMock.factory({ entities: catalogEntities }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send }),
          }),
        ],
      });
      server = backend.server;
    });

    async function create(
      user: string,
      body: object = { entityRef: SHOP, from: 'test', to: 'qa' },
    ) {
      return request(server)
        .post(`${BASE}/promotions`)
        .set(as(user))
        .send(body);
    }

    it('schedules the promotion pass globally', () => {
      expect(scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: 'aws-environments-promotions',
          frequency: { seconds: 5 },
          timeout: { minutes: 30 },
          scope: 'global',
        }),
      );
    });

    it('rolls an environment back to what ran before its last deployment', async () => {
      // qa ran shop:0.9.0 until a deployment of shop:1.0.0 replaced it.
      const requests = new PromotionRequestStore(knex);
      const leases = new PromotionLeaseStore(knex);
      const { id } = await requests.insert(newPromotion());
      await leases.claim(id, 'replica', 60_000);
      await requests.recordReplacedImage(id, 'shop:0.9.0');
      await leases.finish({ id, claimer: 'replica', outcome: { ok: true } });

      const response = await request(server)
        .post(`${BASE}/rollbacks`)
        .set(as(ALICE))
        .send({ entityRef: SHOP, environment: 'qa' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        kind: 'rollback',
        to: 'qa',
        image: 'shop:0.9.0',
        rollbackOf: id,
        status: 'pending_review',
      });
    });

    it('serves delivery metrics over the last 30 days by default', async () => {
      const response = await request(server)
        .get(`${BASE}/delivery-metrics`)
        .query({ entityRef: SHOP })
        .set(as(BOB));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        entityRef: SHOP,
        project: 'shop',
        window: { days: 30 },
        leadTime: { from: 'test', to: 'prod', images: [] },
      });
      expect(
        response.body.environments.map(
          (e: { environment: string }) => e.environment,
        ),
      ).toEqual(['test', 'qa', 'staging', 'prod']);
    });

    it('registers the promotion resource type and its rules for permission policies', async () => {
      const response = await request(server)
        .get(`${BASE}/.well-known/backstage/permissions/metadata`)
        .set('Authorization', mockCredentials.service.header());
      expect(response.status).toBe(200);
      expect(response.body.rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'IS_TARGET_ENVIRONMENT',
            resourceType: RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
          }),
          expect.objectContaining({ name: 'IS_ENTITY' }),
        ]),
      );
    });

    it('creates, lists, shows with history and approves a promotion', async () => {
      const created = await create(ALICE);
      expect(created.status).toBe(201);
      const promotion: PromotionRequest = created.body;
      expect(promotion).toMatchObject({
        status: 'pending_review',
        image: 'shop:1.0.0',
        requestedBy: ALICE,
      });

      const list = await request(server)
        .get(`${BASE}/promotions`)
        .query({ entityRef: SHOP, status: 'pending_review,approved' })
        .set(as(BOB));
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: PromotionRequest) => p.id)).toEqual([
        promotion.id,
      ]);

      const approved = await request(server)
        .post(`${BASE}/promotions/${promotion.id}/approve`)
        .set(as(BOB))
        .send({ comment: 'ship it' });
      expect(approved.status).toBe(200);
      expect(approved.body.decision).toMatchObject({
        by: BOB,
        comment: 'ship it',
      });

      const details = await request(server)
        .get(`${BASE}/promotions/${promotion.id}`)
        .set(as(ALICE));
      expect(details.status).toBe(200);
      expect(
        (details.body as PromotionDetails).events.map(e => e.action),
      ).toEqual(['requested', 'approved']);

      const summary = await request(server)
        .get(`${BASE}/promotions/summary`)
        .query({ entityRefs: `${SHOP},${HIDDEN}` })
        .set(as(BOB));
      expect(summary.status).toBe(200);
      expect(summary.body).toEqual({
        [SHOP]: {
          qa: { pending: expect.objectContaining({ id: promotion.id }) },
        },
      });
    });

    describe('permissions', () => {
      it('never lets the requester approve their own request, although the policy allows it', async () => {
        const { body } = await create(ALICE);
        const before = await snapshot(knex);
        const response = await request(server)
          .post(`${BASE}/promotions/${body.id}/approve`)
          .set(as(ALICE))
          .send({});
        expect(response.status).toBe(403);
        expect(response.body.error.message).toMatch(
          /You requested promotion .*, so you cannot approve it: promotions into qa need a second person \(four-eyes rule\)/,
        );
        expect(await snapshot(knex)).toEqual(before);
      });

      it('refuses a user without the approve permission', async () => {
        const { body } = await create(ALICE);
        const before = await snapshot(knex);
        const response = await request(server)
          .post(`${BASE}/promotions/${body.id}/approve`)
          .set(as(DAVE))
          .send({});
        expect(response.status).toBe(403);
        expect(response.body.error.message).toContain(
          awsEnvironmentsPromotionApprovePermission.name,
        );
        expect(await snapshot(knex)).toEqual(before);
      });

      it('refuses a user without the create permission', async () => {
        const response = await create(DAVE);
        expect(response.status).toBe(403);
        expect(response.body.error.message).toContain(
          awsEnvironmentsPromotionCreatePermission.name,
        );
        expect(await knex('promotions')).toEqual([]);
      });

      it('lets a prod approver approve into prod, but not into other environments', async () => {
        const qa = await create(ALICE);
        state.set('staging', 'shop:0.8.0');
        const prod = await create(ALICE, {
          entityRef: SHOP,
          from: 'staging',
          to: 'prod',
        });
        expect(prod.status).toBe(201);

        const intoQa = await request(server)
          .post(`${BASE}/promotions/${qa.body.id}/approve`)
          .set(as(CAROL))
          .send({});
        expect(intoQa.status).toBe(403);

        const intoProd = await request(server)
          .post(`${BASE}/promotions/${prod.body.id}/approve`)
          .set(as(CAROL))
          .send({ comment: 'prod window open' });
        expect(intoProd.status).toBe(200);
        expect(intoProd.body).toMatchObject({
          status: 'approved',
          decision: { approved: true, by: CAROL },
        });
        expect(authorize).toHaveBeenCalledWith(
          [
            {
              permission: awsEnvironmentsPromotionApprovePermission,
              resourceRef: `promotion:${prod.body.id}`,
            },
          ],
          expect.anything(),
        );
      });

      it('accepts only users, not services', async () => {
        const response = await request(server)
          .get(`${BASE}/promotions`)
          .set('Authorization', mockCredentials.service.header());
        expect(response.status).toBe(403);
      });
    });

    describe('bad input: a clear 4xx and no state change', () => {
      const cases: Array<{
        name: string;
        send: (ids: { open: string; rejected: string }) => request.Test;
        status: number;
        message: RegExp;
      }> = [
        {
          name: 'a missing field',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: SHOP, from: 'test' }),
          status: 400,
          message: /^Body field "to" is invalid/,
        },
        {
          name: 'an unknown field',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: SHOP, from: 'test', to: 'qa', imag: 'x' }),
          status: 400,
          message: /^Body is invalid: Unrecognized key: "imag"/,
        },
        {
          name: 'an entity ref that is not one',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: 'zz-marker:::', from: 'test', to: 'qa' }),
          status: 400,
          message:
            /^Body field "entityRef" is invalid: must be an entity ref such as component:default\/my-service$/,
        },
        {
          name: 'a body that is not JSON',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .set('content-type', 'application/json')
              .send('{"entityRef": "zz-marker'),
          status: 400,
          message: /^Body is not valid JSON$/,
        },
        {
          name: 'skipping an environment',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: SHOP, from: 'test', to: 'staging' }),
          status: 400,
          message: /^to: "staging" is not the environment after "test"/,
        },
        {
          name: 'an image that does not run in the source',
          send: () =>
            request(server).post(`${BASE}/promotions`).set(as(BOB)).send({
              entityRef: SHOP,
              from: 'test',
              to: 'qa',
              image: 'evil:1',
            }),
          status: 400,
          message: /^image: "evil:1" is not running in test/,
        },
        {
          name: 'an unknown status filter',
          send: () =>
            request(server)
              .get(`${BASE}/promotions`)
              .query({ status: 'done' })
              .set(as(BOB)),
          status: 400,
          message: /^Query parameter field "status.0" is invalid/,
        },
        {
          name: 'a duplicate open request',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: SHOP, from: 'qa', to: 'staging' }),
          status: 409,
          message: /already has an open promotion into staging/,
        },
        ...[SHOP_SYSTEM, SHOP_STACK, UNANNOTATED].map(entityRef => ({
          name: `a request through ${entityRef}`,
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef, from: 'test', to: 'qa' }),
          status: 400,
          message: new RegExp(`^entityRef: `),
        })),
        {
          name: 'a duplicate through another Component of the project',
          send: () => {
            state.set('qa', 'shop:0.9.0', 'healthy', SHOP_WORKER);
            return request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: SHOP_WORKER, from: 'qa', to: 'staging' });
          },
          status: 409,
          message: /^Project shop already has an open promotion into staging/,
        },
        {
          name: 'delivery metrics over zero days',
          send: () =>
            request(server)
              .get(`${BASE}/delivery-metrics`)
              .query({ entityRef: SHOP, days: 0 })
              .set(as(BOB)),
          status: 400,
          message: /^Query parameter field "days" is invalid/,
        },
        {
          name: 'delivery metrics of a System',
          send: () =>
            request(server)
              .get(`${BASE}/delivery-metrics`)
              .query({ entityRef: SHOP_SYSTEM })
              .set(as(BOB)),
          status: 400,
          message: /^entityRef: system:default\/shop is a System/,
        },
        {
          name: 'a rollback that names its image',
          send: () =>
            request(server)
              .post(`${BASE}/rollbacks`)
              .set(as(BOB))
              .send({ entityRef: SHOP, environment: 'qa', image: 'evil:1' }),
          status: 400,
          message: /^Body is invalid: Unrecognized key: "image"/,
        },
        {
          name: 'a rollback with nothing to roll back to',
          send: () =>
            request(server)
              .post(`${BASE}/rollbacks`)
              .set(as(BOB))
              .send({ entityRef: SHOP, environment: 'prod' }),
          status: 409,
          message: /^Nothing to roll back to in prod/,
        },
        {
          name: 'a rollback through a System',
          send: () =>
            request(server)
              .post(`${BASE}/rollbacks`)
              .set(as(BOB))
              .send({ entityRef: SHOP_SYSTEM, environment: 'qa' }),
          status: 400,
          message: /^entityRef: system:default\/shop is a System/,
        },
        {
          name: 'approving an already decided request',
          send: ({ rejected }) =>
            request(server)
              .post(`${BASE}/promotions/${rejected}/approve`)
              .set(as(BOB))
              .send({}),
          status: 409,
          message: /is rejected, no longer waiting for review/,
        },
        {
          name: 'an entity the caller cannot see',
          send: () =>
            request(server)
              .post(`${BASE}/promotions`)
              .set(as(BOB))
              .send({ entityRef: HIDDEN, from: 'test', to: 'qa' }),
          status: 404,
          message: /not found/,
        },
        {
          name: 'an unknown promotion',
          send: () =>
            request(server)
              .post(`${BASE}/promotions/nope/reject`)
              .set(as(BOB))
              .send({}),
          status: 404,
          message: /Promotion nope not found/,
        },
      ];

      it.each(cases)(
        '$name → $status',
        async ({ send: call, status, message }) => {
          const open = await create(ALICE, {
            entityRef: SHOP,
            from: 'qa',
            to: 'staging',
          });
          const toReject = await create(ALICE);
          await request(server)
            .post(`${BASE}/promotions/${toReject.body.id}/reject`)
            .set(as(BOB))
            .send({ comment: 'no' })
            .expect(200);
          const before = await snapshot(knex);

          const response = await call({
            open: open.body.id,
            rejected: toReject.body.id,
          });
          expect(response.status).toBe(status);
          expect(response.body.error.message).toMatch(message);
          expect(await snapshot(knex)).toEqual(before);
        },
      );
    });
  });
});
