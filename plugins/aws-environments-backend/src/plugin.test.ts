import { createServiceFactory } from '@backstage/backend-plugin-api';
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
  awsEnvironmentsDeployerServiceRef,
  PromotionDeployRequest,
  PromotionDeployResult,
} from '@envplane/plugin-aws-environments-node';
import { Knex } from 'knex';
import request from 'supertest';
import {
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
} from './__testUtils__/awsFixtures';
import { fakePluginDependencies } from './__testUtils__/pluginDependencies';
import plugin from './index';
import { PROMOTIONS_TASK_ID } from './promotions';
import { createTestDatabases } from './promotions/__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

const BASE = '/api/aws-environments';
const auth = { Authorization: mockCredentials.user.header() };

describe('aws-environments plugin promotions', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    const deployed: PromotionDeployRequest[] = [];
    let outcome: PromotionDeployResult;
    let pass: (() => Promise<void>) | undefined;
    let knex: Knex;

    async function startBackend() {
      const { server } = await startTestBackend({
        features: [
          plugin,
          // The plugin's own migrations run on it, as on a real backend.
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: environmentsConfig }),
          ...fakePluginDependencies(),
          mockServices.scheduler.mock({
            scheduleTask: async task => {
              if (task.id === PROMOTIONS_TASK_ID) {
                pass = task.fn as () => Promise<void>;
              }
            },
          }).factory,
          // The deploy path is injected: replacing it is all a test (or a
          // backend with another way to deploy) has to do.
          createServiceFactory({
            service: awsEnvironmentsDeployerServiceRef,
            deps: {},
            factory: () => ({
              async deploy(deployRequest) {
                deployed.push(deployRequest);
                deployRequest.onProgress(
                  'qa: resource 1 of 2: AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_COMPLETE',
                );
                return outcome;
              },
            }),
          }),
        ],
      });
      return server;
    }

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      resetAwsMocks();
      for (const environment of ['test', 'qa']) {
        seedEnvironment({ environment });
      }
      deployed.length = 0;
      pass = undefined;
    });

    /** Requests test → qa, runs the scheduled pass, waits for the outcome. */
    async function promote(server: Parameters<typeof request>[0]) {
      const created = await request(server)
        .post(`${BASE}/promotions`)
        .set(auth)
        .send({ entityRef: 'component:default/shop', from: 'test', to: 'qa' });
      expect(created.status).toBe(201);
      const promotion: PromotionRequest = created.body;
      // qa needs no review in this config: the request is approved at once.
      expect(promotion.status).toBe('approved');

      expect(pass).toBeDefined();
      await pass!();
      for (let i = 0; i < 100; i++) {
        const details = await request(server)
          .get(`${BASE}/promotions/${promotion.id}`)
          .set(auth);
        const body = details.body as PromotionDetails;
        if (body.status === 'succeeded' || body.status === 'failed') {
          return body;
        }
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      throw new Error(`promotion ${promotion.id} did not finish`);
    }

    it('runs a promotion through the injected deployer and records its progress', async () => {
      outcome = { ok: true };
      const server = await startBackend();
      const details = await promote(server);

      expect(details.status).toBe('succeeded');
      expect(deployed).toEqual([
        expect.objectContaining({
          project: 'shop',
          environment: 'qa',
          image: 'nginx:1.27',
          promotionId: details.id,
        }),
      ]);
      expect(details.events.map(e => e.message)).toContain(
        'qa: resource 1 of 2: AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_COMPLETE',
      );
    });

    it('records the failing reason of a rolled back deployment', async () => {
      outcome = {
        ok: false,
        reason:
          'deploying nginx:1.27 to shop-qa failed (UPDATE_ROLLBACK_COMPLETE)',
      };
      const server = await startBackend();
      const details = await promote(server);

      expect(details.status).toBe('failed');
      expect(JSON.stringify(details.events)).toContain(
        'deploying nginx:1.27 to shop-qa failed (UPDATE_ROLLBACK_COMPLETE)',
      );
    });
  });
});
