/*
 * The price reader against the AWS sandbox's Price List API, reached only
 * through AWS_ENDPOINT_URL, as the backend reaches AWS.
 */
import { CacheService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { capturingLogger, mapCache } from '../__testUtils__/testDoubles';
import { PRICES_TTL_MS, PriceReader } from './readPrices';

jest.setTimeout(30_000);

const ACCOUNT = '000000000000';

describe('PriceReader against the sandbox', () => {
  let sandbox: SandboxEndpoint;
  const requests: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({ log: line => requests.push(line) });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  beforeEach(() => {
    sandbox.clearFaults();
    requests.length = 0;
  });

  const reader = (cache: CacheService = mapCache()) => {
    const logger = capturingLogger();
    return {
      logger,
      prices: new PriceReader({
        clients: AwsClientFactory.fromConfig(new ConfigReader({})),
        cache,
        logger,
      }),
    };
  };

  it("reads a region's prices from the Price List API in us-east-1", async () => {
    const { prices } = reader();
    // The sandbox refuses Price List calls outside the API's regions, so
    // eu-west-1 prices are read through us-east-1 or not at all.
    expect(
      await prices.read({ accountId: ACCOUNT, region: 'eu-west-1' }),
    ).toEqual({
      region: 'eu-west-1',
      currency: 'USD',
      priceDate: '2026-12-01T00:00:00Z',
      natGatewayHour: 0.048,
      natGatewayGb: 0.048,
      fargateVcpuHour: 0.04048,
      fargateGbHour: 0.004445,
      loadBalancerHour: 0.0252,
      loadBalancerLcuHour: 0.008,
      logsIngestionGb: 0.57,
      logsStorageGbMonth: 0.03,
      publicIpv4Hour: 0.005,
    });
    // One query per service and product family.
    expect(requests.filter(r => r === 'pricing GetProducts')).toHaveLength(6);
    const frankfurt = await prices.read({
      accountId: ACCOUNT,
      region: 'eu-central-1',
    });
    expect(frankfurt).toMatchObject({
      natGatewayHour: 0.052,
      fargateVcpuHour: 0.04656,
    });
  });

  it('keeps the prices for a day, per region', async () => {
    const cache = mapCache();
    const ttls: unknown[] = [];
    const spy: CacheService = {
      ...cache,
      withOptions: options => {
        ttls.push(options.defaultTtl);
        return {
          ...cache,
          set: async (k, v, o) => {
            ttls.push(o?.ttl);
            await cache.set(k, v, o);
          },
        };
      },
    };
    const { prices } = reader(spy);
    const first = await prices.read({
      accountId: ACCOUNT,
      region: 'us-east-1',
    });
    expect(first.natGatewayHour).toBe(0.045);
    expect(ttls).toEqual([PRICES_TTL_MS, PRICES_TTL_MS]);
    expect(PRICES_TTL_MS).toBe(86_400_000);

    sandbox.addFault({ type: 'error', service: 'pricing', status: 500 });
    requests.length = 0;
    expect(
      await prices.read({ accountId: ACCOUNT, region: 'us-east-1' }),
    ).toEqual(first);
    expect(requests).toEqual([]);
    // Another region is not in the cache, so it reaches AWS and fails.
    await expect(
      prices.read({ accountId: ACCOUNT, region: 'eu-west-1' }),
    ).rejects.toThrow();
    expect(requests.length).toBeGreaterThan(0);
  });

  it('refuses to guess when the region has no prices, and caches nothing', async () => {
    const cache = mapCache();
    const { prices } = reader(cache);
    await expect(
      prices.read({ accountId: ACCOUNT, region: 'ap-south-1' }),
    ).rejects.toThrow(
      /^No price in ap-south-1 for AmazonEC2 NatGateway-Hours, AmazonEC2 NatGateway-Bytes, AmazonECS Fargate-vCPU-Hours:perCPU/,
    );
    expect(cache.store.size).toBe(0);
  });

  it('reads AWS when the cache fails', async () => {
    const broken: CacheService = {
      get: async () => {
        throw new Error('redis down');
      },
      set: async () => {
        throw new Error('redis down');
      },
      delete: async () => {},
      withOptions: () => broken,
    };
    const { prices, logger } = reader(broken);
    expect(
      await prices.read({ accountId: ACCOUNT, region: 'eu-central-1' }),
    ).toMatchObject({ region: 'eu-central-1', logsIngestionGb: 0.63 });
    expect(logger.lines.join('\n')).toContain(
      'Cache read failed, continuing without the cache: redis down',
    );
  });
});
