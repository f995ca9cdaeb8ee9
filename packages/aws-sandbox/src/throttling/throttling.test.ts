/*
 * Throttling at AWS's rates, seen through the real ECS and STS clients:
 * ECS's buckets per action group, their refill on the manual clock, buckets
 * per account and region, the SDK's reading of the error, the admin
 * endpoints, and that nothing is throttled unless asked for.
 */
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServicesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { adminFetch, useSandbox } from '../__testUtils__/sandbox';

const describe1 = (ecs: ECSClient) =>
  ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] }));

/** Sends n calls at once; returns how many passed and the errors. */
async function burst(n: number, call: () => Promise<unknown>) {
  const results = await Promise.allSettled(
    Array.from({ length: n }, () => call()),
  );
  const errors = results.flatMap(r =>
    r.status === 'rejected' ? [r.reason] : [],
  );
  return { passed: n - errors.length, errors };
}

describe('throttling at AWS rates', () => {
  const t = useSandbox({ throttle: 'aws' });
  let ecs: ECSClient;

  beforeAll(async () => {
    ecs = new ECSClient(t.config);
    await ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  });
  beforeEach(async () => {
    await adminFetch(t.sb, 'DELETE', 'throttling');
  });

  it('throttles ECS Service read actions past their bucket of 100 and refills 20 a second', async () => {
    const first = await burst(100, () => describe1(ecs));
    expect(first).toEqual({ passed: 100, errors: [] });

    const err = await describe1(ecs).catch(e => e);
    expect(err).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    // ListServices shares the bucket; DescribeClusters has its own.
    await expect(
      ecs.send(new ListServicesCommand({ cluster: 'c' })),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(
      ecs.send(new DescribeClustersCommand({ clusters: ['c'] })),
    ).resolves.toBeDefined();

    t.sb.advance(1);
    const refilled = await burst(21, () => describe1(ecs));
    expect(refilled.passed).toBe(20);
    expect(refilled.errors.map(e => e.name)).toEqual(['ThrottlingException']);

    // A long pause refills the bucket to its capacity, never past it.
    t.sb.advance(60);
    expect((await burst(101, () => describe1(ecs))).passed).toBe(100);
  });

  it('throttles ECS Cluster read actions at 50 and refills them 20 a second', async () => {
    const call = () =>
      ecs.send(new DescribeClustersCommand({ clusters: ['c'] }));
    expect((await burst(51, call)).passed).toBe(50);
    t.sb.advance(0.5);
    expect((await burst(11, call)).passed).toBe(10);
  });

  it('is read as throttling by the SDK retry strategy', async () => {
    await burst(100, () => describe1(ecs));
    // With a second attempt allowed, the SDK retries a throttled call (and
    // waits, so the manual clock cannot refill: it fails again) but not an
    // ordinary client error with the same HTTP status.
    const retrying = new ECSClient({ ...t.config, maxAttempts: 2 });
    const throttled = await describe1(retrying).catch(e => e);
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata.attempts).toBe(2);

    const notFound = await retrying
      .send(new ListTasksCommand({ cluster: 'nope' }))
      .catch(e => e);
    expect(notFound.$metadata.httpStatusCode).toBe(400);
    expect(notFound.name).toBe('ClusterNotFoundException');
    expect(notFound.$metadata.attempts).toBe(1);
  });

  it('keeps a bucket per account and per region', async () => {
    await burst(100, () => describe1(ecs));
    await expect(describe1(ecs)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });

    const euWest = new ECSClient({ ...t.config, region: 'eu-west-1' });
    await euWest.send(new CreateClusterCommand({ clusterName: 'c' }));
    expect((await burst(100, () => describe1(euWest))).passed).toBe(100);

    const role = await new STSClient(t.config).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111111111111:role/reader',
        RoleSessionName: 'bench',
      }),
    );
    const other = new ECSClient({
      ...t.config,
      credentials: {
        accessKeyId: role.Credentials!.AccessKeyId!,
        secretAccessKey: role.Credentials!.SecretAccessKey!,
        sessionToken: role.Credentials!.SessionToken,
      },
    });
    await other.send(new CreateClusterCommand({ clusterName: 'c' }));
    expect((await burst(100, () => describe1(other))).passed).toBe(100);
    await expect(describe1(other)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    // The first account's bucket is still empty.
    await expect(describe1(ecs)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });

    const report = (await adminFetch(t.sb, 'GET', 'throttling')).json;
    const rows = report.counters.filter(
      (c: any) => c.service === 'ecs' && c.operation === 'DescribeServices',
    );
    expect(
      rows.map((c: any) => [c.account, c.region, c.allowed, c.throttled]),
    ).toEqual([
      ['000000000000', 'eu-west-1', 100, 0],
      ['000000000000', 'us-east-1', 100, 2],
      ['111111111111', 'us-east-1', 100, 1],
    ]);
    expect(rows[0].group).toBe('Service read actions');
  });

  it('reports counters and buckets and switches the mode at run time', async () => {
    await burst(102, () => describe1(ecs));
    const report = (await adminFetch(t.sb, 'GET', 'throttling')).json;
    expect(report.mode).toBe('aws');
    expect(report.totals).toEqual({ allowed: 100, throttled: 2 });
    expect(report.counters).toEqual([
      {
        account: '000000000000',
        region: 'us-east-1',
        service: 'ecs',
        operation: 'DescribeServices',
        group: 'Service read actions',
        allowed: 100,
        throttled: 2,
      },
    ]);
    expect(report.buckets).toEqual([
      {
        account: '000000000000',
        region: 'us-east-1',
        service: 'ecs',
        group: 'Service read actions',
        capacity: 100,
        refillPerSecond: 20,
        tokens: 0,
      },
    ]);
    expect(report.sources.ecs).toMatch(/request-throttling/);

    expect(
      (await adminFetch(t.sb, 'POST', 'throttling', { mode: 'off' })).json,
    ).toEqual({ mode: 'off' });
    expect((await burst(5, () => describe1(ecs))).passed).toBe(5);
    const bad = await adminFetch(t.sb, 'POST', 'throttling', { mode: 'on' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/aws, off/);
    await adminFetch(t.sb, 'POST', 'throttling', { mode: 'aws' });
    // Turning it back on starts with full buckets.
    expect((await burst(101, () => describe1(ecs))).passed).toBe(100);

    await adminFetch(t.sb, 'DELETE', 'throttling');
    const cleared = (await adminFetch(t.sb, 'GET', 'throttling')).json;
    expect(cleared.counters).toEqual([]);
    expect(cleared.mode).toBe('aws');
  });
});

describe('throttling by default', () => {
  const t = useSandbox();

  it('is off: bursts pass, and the counters still count them', async () => {
    const ecs = new ECSClient(t.config);
    await ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    expect((await burst(150, () => describe1(ecs))).passed).toBe(150);
    const report = (await adminFetch(t.sb, 'GET', 'throttling')).json;
    expect(report.mode).toBe('off');
    expect(report.totals).toEqual({ allowed: 151, throttled: 0 });
    expect(report.buckets).toEqual([]);
  });
});
