/*
 * Two backend replicas on one PostgreSQL database, each a full
 * startTestBackend with the plugin, its own scheduler and its own connection
 * pool, as two processes of a production deployment would be. SQLite is left
 * out: TestDatabases gives an in-memory SQLite per client, which a second
 * backend cannot open.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  PromotionDetails,
  PromotionRequest,
} from '@envplane/plugin-aws-environments-common';
import {
  PromotionDeployRequest,
  awsEnvironmentsDeployerServiceRef,
} from '@envplane/plugin-aws-environments-node';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import {
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
} from '../__testUtils__/awsFixtures';
import { fakePluginDependencies } from '../__testUtils__/pluginDependencies';
import plugin from '../index';
import { PROMOTIONS_TASK_ID } from './createPromotionWorkflow';
import {
  ALICE,
  BOB,
  createTestDatabases,
  userInfoFor,
} from './__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

const BASE = '/api/aws-environments';
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** The plugin's environments, with qa under review so a second user approves. */
const config = {
  awsEnvironments: {
    environments: environmentsConfig.awsEnvironments.environments.map(e =>
      e.name === 'qa'
        ? { ...e, promotion: { trigger: 'manual', reviewRequired: true } }
        : e,
    ),
  },
};

describe('two backend instances on one PostgreSQL database', () => {
  const databases = createTestDatabases();
  // Without PostgreSQL (and without AWS_ENV_REQUIRE_SERVICES=1, which makes
  // createTestDatabases throw instead) there is no shared database to test.
  const onPostgres = databases.supports('POSTGRES_15')
    ? describe
    : describe.skip;
  if (!databases.supports('POSTGRES_15')) {
    // eslint-disable-next-line no-console
    console.warn(
      'Skipping the two-replica promotion test: no PostgreSQL for TestDatabases (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING); CI sets AWS_ENV_REQUIRE_SERVICES=1 to make this a failure.',
    );
  }

  const pools: Knex[] = [];
  afterAll(async () => {
    await Promise.all(pools.map(pool => pool.destroy()));
  });

  /** Deployments, across both replicas, in the order they started. */
  const deployed: Array<PromotionDeployRequest & { by: string }> = [];

  async function startReplica(name: string, knex: Knex) {
    // The test's scheduler: passes run only when the test triggers them,
    // on either replica, including at the same time.
    const scheduler = mockServices.scheduler();
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: config }),
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => userInfoFor(credentials),
        }).factory,
        ...fakePluginDependencies(),
        createServiceFactory({
          service: awsEnvironmentsDeployerServiceRef,
          deps: {},
          factory: () => ({
            async deploy(deployRequest) {
              deployed.push({ ...deployRequest, by: name });
              deployRequest.onProgress(`deploying on ${name}`);
              // In flight long enough for the other replica's passes to
              // find it deploying.
              await new Promise(resolve => setTimeout(resolve, 300));
              return { ok: true as const };
            },
          }),
        }),
      ],
    });
    return {
      server,
      pass: () => scheduler.triggerTask(PROMOTIONS_TASK_ID),
    };
  }

  onPostgres('on POSTGRES_15', () => {
    it('deploys a promotion exactly once while both replicas run passes concurrently', async () => {
      const knex = await databases.init('POSTGRES_15');
      // A pool of its own for the second replica: separate connections,
      // so their transactions really interleave.
      const otherPool = knexFactory(knex.client.config);
      pools.push(otherPool);
      resetAwsMocks();
      for (const environment of ['test', 'qa']) {
        seedEnvironment({ environment });
      }

      const a = await startReplica('a', knex);
      const b = await startReplica('b', otherPool);

      const created = await request(a.server)
        .post(`${BASE}/promotions`)
        .set(as(ALICE))
        .send({ entityRef: 'component:default/shop', from: 'test', to: 'qa' });
      expect(created.status).toBe(201);
      const promotion: PromotionRequest = created.body;
      expect(promotion.status).toBe('pending_review');
      // Approved through the other replica: the request is in the shared
      // database, not in replica a's memory.
      await request(b.server)
        .post(`${BASE}/promotions/${promotion.id}/approve`)
        .set(as(BOB))
        .send({})
        .expect(200);

      let details: PromotionDetails | undefined;
      for (let i = 0; i < 100; i++) {
        await Promise.all([a.pass(), b.pass(), a.pass(), b.pass()]);
        const response = await request(i % 2 ? a.server : b.server)
          .get(`${BASE}/promotions/${promotion.id}`)
          .set(as(ALICE));
        details = response.body;
        if (details?.status === 'succeeded' || details?.status === 'failed') {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }

      expect(details?.status).toBe('succeeded');
      expect(deployed).toHaveLength(1);
      expect(deployed[0]).toMatchObject({
        project: 'shop',
        environment: 'qa',
        image: 'nginx:1.27',
        promotionId: promotion.id,
      });
      const actions = details!.events.map(e => e.action);
      expect(actions.filter(action => action === 'deploy_started')).toEqual([
        'deploy_started',
      ]);
      expect(details!.events.find(e => e.action === 'approved')).toMatchObject({
        actor: BOB,
      });
      expect(actions[actions.length - 1]).toBe('succeeded');
    });
  });
});
