import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ESTIMATE } from '../__testUtils__/costFixtures';
import { captureLogger } from '../__testUtils__/fixtures';
import {
  createCostEstimateReader,
  formatCostEstimate,
  logCostEstimate,
} from './costEstimate';

describe('formatCostEstimate', () => {
  it('says it is an estimate, with the price date, each environment, the total and the assumptions', () => {
    expect(formatCostEstimate(ESTIMATE)).toEqual([
      'Cost estimate (USD a month, AWS on-demand list prices of 2026-12-01; an estimate, not a quote):',
      '  test (us-east-1): $153.16 to $239.02 with 1 to 10 tasks all month, $153.16 with 1 (the tasks at start)',
      '  staging (ap-south-1): no estimate, prices of ap-south-1 could not be read: No price in ap-south-1 for AmazonEC2 NatGateway-Hours',
      '  total: $153.16 to $239.02 (environments without an estimate left out)',
      '  assumes: tasks of 0.25 vCPU and 512 MiB, 730 hours a month, 20 GB through the NAT gateways, 1 GB of logs per task kept 30 days, 1 load balancer capacity unit an hour; taxes, data transfer out and free tiers are not included',
    ]);
  });
});

describe('createCostEstimateReader', () => {
  const credentials = mockCredentials.user('user:default/jane');

  it("POSTs the run to the aws-environments backend on the initiator's behalf", async () => {
    const fetch = jest.fn(
      async (_url: string, _init: RequestInit) =>
        new Response(JSON.stringify(ESTIMATE), { status: 200 }),
    );
    const read = createCostEstimateReader({
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    const request = { environments: ['test', 'staging'], loadBalancer: true };
    await expect(read(request, { credentials })).resolves.toEqual(ESTIMATE);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toMatch(/\/api\/aws-environments\/cost\/estimate$/);
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual(request);
    const authorization = (init.headers as Record<string, string>)
      .Authorization;
    expect(authorization).toBe(
      mockCredentials.service.header({
        onBehalfOf: credentials,
        targetPluginId: 'aws-environments',
      }),
    );
  });

  it("throws the backend's error message", async () => {
    const read = createCostEstimateReader({
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      fetch: (async () =>
        new Response(
          JSON.stringify({ error: { message: 'Body field "x" is invalid' } }),
          { status: 400 },
        )) as unknown as typeof globalThis.fetch,
    });
    await expect(
      read({ environments: ['test'] }, { credentials }),
    ).rejects.toThrow(
      'the aws-environments backend answered 400: Body field "x" is invalid',
    );
  });
});

describe('logCostEstimate', () => {
  const credentials = async () => mockCredentials.user();

  it('logs the estimate and returns it', async () => {
    const logger = captureLogger();
    await expect(
      logCostEstimate({
        reader: async () => ESTIMATE,
        request: { environments: ['test'] },
        credentials,
        logger,
      }),
    ).resolves.toBe(ESTIMATE);
    expect(logger.lines[0]).toMatch(/^info Cost estimate \(USD a month/);
    expect(logger.lines).toHaveLength(5);
  });

  it('says in one line that prices could not be read, without a stack trace', async () => {
    const logger = captureLogger();
    await expect(
      logCostEstimate({
        reader: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
        },
        request: { environments: ['test'] },
        credentials,
        logger,
      }),
    ).resolves.toBeUndefined();
    expect(logger.lines).toEqual([
      'warn Cost estimate: prices could not be read (connect ECONNREFUSED 127.0.0.1:7007); provisioning goes on.',
    ]);
  });

  it('gives up after the timeout rather than hold provisioning', async () => {
    const logger = captureLogger();
    await expect(
      logCostEstimate({
        reader: (_request, { signal }) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () =>
              reject(new Error('The operation was aborted due to timeout')),
            );
          }),
        request: { environments: ['test'] },
        credentials,
        logger,
        timeoutMs: 50,
      }),
    ).resolves.toBeUndefined();
    expect(logger.lines[0]).toContain('prices could not be read');
  });
});
