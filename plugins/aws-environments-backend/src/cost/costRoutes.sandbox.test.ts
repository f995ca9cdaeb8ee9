/*
 * The cost routes of the real plugin against the AWS sandbox: prices from
 * its dated Price List snapshot, the entity's settings from a stack
 * deployed as the scaffolder deploys it. Imports no AWS SDK mocks.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import {
  CostEstimateResponse,
  EntityCostResponse,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { shopEntity } from '../__testUtils__/entities';
import {
  deployEnvironmentStack,
  pollToolkitQuickly,
} from '../__testUtils__/sandboxStacks';
import { capturingLogger } from '../__testUtils__/testDoubles';
import plugin from '../index';

jest.setTimeout(120_000);

const auth = { Authorization: mockCredentials.user.header() };

/** test and qa in regions the snapshot has, staging in one it lacks. */
const config = {
  awsEnvironments: {
    environments: [
      ['test', 'us-east-1'],
      ['qa', 'eu-west-1'],
      ['staging', 'ap-south-1'],
    ].map(([name, region], i) => ({
      name,
      title: name,
      accountId: '000000000000',
      region,
      vpcCidr: `10.${i}.0.0/16`,
      promotion: { trigger: 'manual', reviewRequired: false },
    })),
  },
};

describe('cost routes against the sandbox', () => {
  let sandbox: SandboxEndpoint;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    pollToolkitQuickly();
    sandbox = await startSandboxEndpoint({
      resourceDelayMs: 0,
      workDirPrefix: 'aws-env-cost-test-',
    });
    // shop runs in test and qa; only test is provisioned.
    await deployEnvironmentStack({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(config),
      ),
      environment: readAwsEnvironments(new ConfigReader(config))[0],
      project: 'shop',
      owner: 'group:default/team-a',
      image: 'registry.example.com/shop:1.0.0',
      appSecret: 'sandbox-canary-cost-7c1e',
      outdir: await mkdtemp(join(tmpdir(), 'aws-env-cost-')),
      logger: capturingLogger(),
    });
    ({ server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: config }),
        mockServices.scheduler.mock().factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({ entities: [shopEntity] }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    }));
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('estimates a planned run with the snapshot prices of each region, and says which region has none', async () => {
    const res = await request(server)
      .post('/api/aws-environments/cost/estimate')
      .set(auth)
      .send({
        environments: ['test', 'qa', 'staging'],
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: true,
      });
    expect(res.status).toBe(200);
    const body = res.body as CostEstimateResponse;
    const [test, qa, staging] = body.environments;
    // The seed service in us-east-1: the common package's worked example.
    expect(test.estimate?.monthly).toEqual({ low: 153.16, high: 239.02 });
    expect(test.estimate?.priceDate).toBe('2026-12-01T00:00:00Z');
    // eu-west-1's NAT gateway hour is $0.048: 3 × 730 h.
    expect(
      qa.estimate?.lineItems.find(l => l.id === 'nat-gateway-hours')?.monthly,
    ).toEqual({ low: 105.12, high: 105.12 });
    expect(staging.estimate).toBeUndefined();
    expect(staging.error).toMatch(
      /^prices of ap-south-1 could not be read: No price in ap-south-1 for /,
    );
    expect(body.total.complete).toBe(false);
    expect(body.total.monthly.low).toBe(
      Math.round(
        (test.estimate!.monthly.low + qa.estimate!.monthly.low) * 100,
      ) / 100,
    );
    expect(body.priceDate).toBe('2026-12-01T00:00:00Z');
  });

  it("estimates the entity's provisioned environment from its stack", async () => {
    const res = await request(server)
      .get('/api/aws-environments/entity/default/component/shop/cost')
      .set(auth);
    expect(res.status).toBe(200);
    const body = res.body as EntityCostResponse;
    const [test, qa] = body.environments;
    // deployEnvironmentStack: DesiredCount 2, at most 4 tasks, no ALB.
    expect(test.settings).toEqual({
      taskCpu: 256,
      taskMemory: 512,
      desiredCount: 2,
      minCapacity: 1,
      maxCapacity: 4,
      loadBalancer: false,
    });
    expect(test.estimate?.lineItems.map(l => l.id)).not.toContain(
      'load-balancer-hours',
    );
    expect(test.monthlyAtDesired).toBeGreaterThan(test.estimate!.monthly.low);
    expect(qa.error).toMatch(/^not provisioned: there is no stack shop-qa/);
    expect(JSON.stringify(body)).not.toContain('sandbox-canary-cost-7c1e');
  });
});
