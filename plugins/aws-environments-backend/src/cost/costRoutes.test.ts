import { DescribeStacksCommand, Stack } from '@aws-sdk/client-cloudformation';
import {
  GetProductsCommand,
  GetProductsCommandInput,
  PricingClient,
} from '@aws-sdk/client-pricing';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  CostEstimateResponse,
  ENVIRONMENT_PRICE_PRODUCTS,
  EntityCostResponse,
  EnvironmentPrices,
  awsEnvironmentsStatusReadPermission,
  environmentResourceNames,
  estimateEnvironmentCost,
} from '@envplane/plugin-aws-environments-common';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import {
  awsMocks,
  environmentsConfig,
  resetAwsMocks,
} from '../__testUtils__/awsFixtures';
import { fakePluginDependencies } from '../__testUtils__/pluginDependencies';
import plugin from '../index';

jest.setTimeout(60_000);

const ESTIMATE_URL = '/api/aws-environments/cost/estimate';
const ENTITY_URL = '/api/aws-environments/entity/default/component/shop/cost';
const auth = { Authorization: mockCredentials.user.header() };

/** us-east-1's on-demand prices, as the sandbox's snapshot has them. */
const US_EAST_1: EnvironmentPrices = {
  region: 'us-east-1',
  currency: 'USD',
  priceDate: '2026-12-01T00:00:00Z',
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  loadBalancerHour: 0.0225,
  loadBalancerLcuHour: 0.008,
  logsIngestionGb: 0.5,
  logsStorageGbMonth: 0.03,
  publicIpv4Hour: 0.005,
};

/** GetProducts records in the Price List's shape for one region's prices. */
function records(prices: EnvironmentPrices) {
  return ENVIRONMENT_PRICE_PRODUCTS.map(p => ({
    serviceCode: p.serviceCode,
    productFamily: p.productFamily,
    region: prices.region,
    json: JSON.stringify({
      serviceCode: p.serviceCode,
      publicationDate: prices.priceDate,
      product: {
        productFamily: p.productFamily,
        attributes: { regionCode: prices.region, usagetype: p.usageType },
      },
      terms: {
        OnDemand: {
          t: {
            priceDimensions: {
              d: {
                unit: p.unit,
                beginRange: '0',
                pricePerUnit: { USD: String(prices[p.key]) },
              },
            },
          },
        },
      },
    }),
  }));
}

const pricing = mockClient(PricingClient);

function answerPrices(known: EnvironmentPrices[]) {
  const all = known.flatMap(records);
  pricing.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
    const filter = (field: string) =>
      input.Filters?.find(f => f.Field === field)?.Value;
    return {
      PriceList: all
        .filter(
          r =>
            r.serviceCode === input.ServiceCode &&
            r.productFamily === filter('productFamily') &&
            r.region === filter('regionCode'),
        )
        .map(r => r.json),
    };
  });
}

function stack(environment: string, overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: environmentResourceNames('shop', environment).stackName,
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date(),
    Parameters: [
      { ParameterKey: 'ImageUri', ParameterValue: 'registry/shop:1' },
      { ParameterKey: 'DesiredCount', ParameterValue: '3' },
    ],
    Outputs: [
      {
        OutputKey: 'ProvisioningInputs',
        OutputValue: JSON.stringify({
          project: 'shop',
          owner: 'group:default/team-a',
          application: 'app',
          desiredCount: 2,
          minCapacity: 2,
          maxCapacity: 6,
          loadBalancer: true,
          synthesizer: 'legacy',
        }),
      },
    ],
    ...overrides,
  };
}

describe('cost routes', () => {
  const authorize = jest.fn();

  function decide(denied: string[] = []) {
    authorize.mockImplementation(
      async (requests: { permission: { name: string } }[]) =>
        requests.map(
          (r): PolicyDecision => ({
            result: denied.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          }),
        ),
    );
  }

  async function start(config: object = environmentsConfig) {
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({
          data: {
            ...config,
            // The plugin's clients come from config; static keys for the
            // account, so resolving credentials needs no AWS call (the SDK
            // calls themselves are mocked).
            aws: {
              accounts: [
                {
                  accountId: '000000000000',
                  accessKeyId: 'AKIDTEST',
                  secretAccessKey: 'test-only',
                },
              ],
            },
          },
        }),
        mockServices.permissions.mock({ authorize }).factory,
        mockServices.scheduler.mock().factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...fakePluginDependencies(),
      ],
    });
    return server;
  }

  beforeEach(() => {
    resetAwsMocks();
    pricing.reset();
    authorize.mockReset();
    decide();
    answerPrices([US_EAST_1]);
  });

  it('estimates a planned run per environment and in total, with the price date and assumptions', async () => {
    const server = await start();
    const res = await request(server)
      .post(ESTIMATE_URL)
      .set(auth)
      .send({
        environments: ['test', 'qa'],
        desiredCount: 2,
        minCapacity: 1,
        maxCapacity: 4,
        loadBalancer: true,
      });
    expect(res.status).toBe(200);
    const body = res.body as CostEstimateResponse;
    const expected = estimateEnvironmentCost(
      {
        taskCpu: 256,
        taskMemoryMiB: 512,
        minTasks: 1,
        maxTasks: 4,
        loadBalancer: true,
      },
      US_EAST_1,
    );
    expect(body.environments.map(e => e.environment)).toEqual(['test', 'qa']);
    expect(body.environments[0]).toMatchObject({
      region: 'us-east-1',
      title: 'Test',
      settings: {
        taskCpu: 256,
        taskMemory: 512,
        desiredCount: 2,
        minCapacity: 1,
        maxCapacity: 4,
        loadBalancer: true,
      },
      estimate: expected,
    });
    expect(body.total).toEqual({
      monthly: {
        low: Math.round(expected.monthly.low * 2 * 100) / 100,
        high: Math.round(expected.monthly.high * 2 * 100) / 100,
      },
      monthlyAtDesired: expect.any(Number),
      complete: true,
    });
    expect(body.environments[0].monthlyAtDesired).toBeGreaterThan(
      expected.monthly.low,
    );
    expect(body.environments[0].monthlyAtDesired).toBeLessThan(
      expected.monthly.high,
    );
    expect(body.priceDate).toBe('2026-12-01T00:00:00Z');
    expect(body.assumptions).toMatchObject({ natDataGbPerMonth: 20 });
    expect(body.disclaimer).toMatch(/^Estimates/);
    expect(JSON.stringify(body)).not.toContain('000000000000');
  });

  it("applies the action's defaults: 1 to 10 tasks, no load balancer", async () => {
    const server = await start();
    const res = await request(server)
      .post(ESTIMATE_URL)
      .set(auth)
      .send({ environments: ['test'] });
    expect(res.status).toBe(200);
    expect(res.body.environments[0].settings).toEqual({
      taskCpu: 256,
      taskMemory: 512,
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 10,
      loadBalancer: false,
    });
    const ids = res.body.environments[0].estimate.lineItems.map(
      (l: { id: string }) => l.id,
    );
    expect(ids).not.toContain('load-balancer-hours');
  });

  it.each([
    [{}, 'environments', 'expected array'],
    [{ environments: [] }, 'environments', 'select at least one'],
    [{ environments: ['dev'] }, 'environments.0', 'configured environments'],
    [{ environments: ['test', 'test'] }, 'environments', 'twice'],
    [{ environments: ['test'], minCapacity: 0 }, 'minCapacity', '>=1'],
    [{ environments: ['test'], maxCapacity: 2.5 }, 'maxCapacity', 'int'],
    [
      { environments: ['test'], minCapacity: 5, maxCapacity: 2 },
      'maxCapacity',
      'at least minCapacity (5)',
    ],
    [
      { environments: ['test'], desiredCount: 9, maxCapacity: 4 },
      'desiredCount',
      'between minCapacity (1) and maxCapacity (4)',
    ],
    [{ environments: ['test'], taskCpu: 300 }, 'taskCpu', 'Fargate CPU size'],
    [
      { environments: ['test'], taskCpu: 256, taskMemory: 4096 },
      'taskMemory',
      'from 512 to 2048 MiB',
    ],
    [
      { environments: ['test'], loadBalancer: 'yes' },
      'loadBalancer',
      'boolean',
    ],
    [
      { environments: ['test'], region: 'eu-west-1' },
      'region',
      'not a field of the estimate',
    ],
  ])('answers 400 naming the field for %j', async (body, field, problem) => {
    const server = await start();
    const res = await request(server).post(ESTIMATE_URL).set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`Body field "${field}"`);
    expect(res.body.error.message).toContain(problem);
    expect(pricing.calls()).toHaveLength(0);
  });

  it('answers 401 without credentials', async () => {
    const server = await start();
    const res = await request(server)
      .post(ESTIMATE_URL)
      .send({ environments: ['test'] });
    expect(res.status).toBe(401);
    expect((await request(server).get(ENTITY_URL)).status).toBe(401);
  });

  it('says which environment has no prices for its region, and totals only the others', async () => {
    const config = structuredClone(environmentsConfig);
    config.awsEnvironments.environments[1].region = 'eu-north-1';
    const server = await start(config);
    const res = await request(server)
      .post(ESTIMATE_URL)
      .set(auth)
      .send({ environments: ['test', 'qa'] });
    expect(res.status).toBe(200);
    const [test, qa] = res.body.environments;
    expect(test.estimate).toBeDefined();
    expect(qa).toMatchObject({ environment: 'qa', region: 'eu-north-1' });
    expect(qa.estimate).toBeUndefined();
    expect(qa.error).toMatch(
      /^prices of eu-north-1 could not be read: No price in eu-north-1 for AmazonEC2 NatGateway-Hours/,
    );
    expect(res.body.total).toMatchObject({
      monthly: test.estimate.monthly,
      complete: false,
    });
  });

  it("estimates an entity's environments from their stacks' parameters and inputs", async () => {
    awsMocks.cloudformation
      .on(DescribeStacksCommand, {
        StackName: environmentResourceNames('shop', 'test').stackName,
      })
      .resolves({ Stacks: [stack('test')] });
    const missing = Object.assign(
      new Error('Stack with id shop-qa does not exist'),
      { name: 'ValidationError' },
    );
    awsMocks.cloudformation
      .on(DescribeStacksCommand, {
        StackName: environmentResourceNames('shop', 'qa').stackName,
      })
      .rejects(missing);
    const server = await start();
    const res = await request(server).get(ENTITY_URL).set(auth);
    expect(res.status).toBe(200);
    const body = res.body as EntityCostResponse;
    expect(body.entityRef).toBe('component:default/shop');
    const [test, qa] = body.environments;
    // DesiredCount comes from the parameter (3), not the recorded input (2).
    expect(test.settings).toEqual({
      taskCpu: 256,
      taskMemory: 512,
      desiredCount: 3,
      minCapacity: 2,
      maxCapacity: 6,
      loadBalancer: true,
    });
    expect(test.estimate?.monthly).toEqual(
      estimateEnvironmentCost(
        {
          taskCpu: 256,
          taskMemoryMiB: 512,
          minTasks: 2,
          maxTasks: 6,
          loadBalancer: true,
        },
        US_EAST_1,
      ).monthly,
    );
    expect(qa.error).toBe(
      `not provisioned: there is no stack ${
        environmentResourceNames('shop', 'qa').stackName
      }`,
    );
    expect(body.total.complete).toBe(false);
  });

  it('names an unreadable stack instead of guessing its settings', async () => {
    awsMocks.cloudformation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack('test', { Outputs: [] })] });
    const server = await start();
    const res = await request(server).get(ENTITY_URL).set(auth);
    expect(res.status).toBe(200);
    expect(res.body.environments[0].error).toContain(
      'was not provisioned by this version; re-run the wizard',
    );
    expect(res.body.environments[0].estimate).toBeUndefined();
  });

  it('refuses callers without the status read permission, and hides entities they cannot see', async () => {
    decide([awsEnvironmentsStatusReadPermission.name]);
    const server = await start();
    const denied = await request(server).get(ENTITY_URL).set(auth);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      awsEnvironmentsStatusReadPermission.name,
    );
    const hidden = await request(server)
      .get('/api/aws-environments/entity/default/component/nothing/cost')
      .set(auth);
    expect(hidden.status).toBe(404);
    expect(awsMocks.cloudformation.calls()).toHaveLength(0);
  });
});
