import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { adminFetch, useSandbox } from './__testUtils__/sandbox';
import { startSandbox } from './index';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=00';

describe('protocol layer, faults and admin API', () => {
  const t = useSandbox();

  async function raw(headers: Record<string, string>, body: string | Buffer) {
    const res = await fetch(t.sb.url, { method: 'POST', headers, body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  it('refuses unsigned requests like AWS', async () => {
    const json = await raw(
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
      },
      '{}',
    );
    expect(json.status).toBe(403);
    expect(JSON.parse(json.text).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    const query = await raw(
      { 'content-type': 'application/x-www-form-urlencoded' },
      'Action=GetCallerIdentity&Version=2011-06-15',
    );
    expect(query.status).toBe(403);
    expect(query.text).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('answers a malformed-input corpus with AWS-shaped 400s and keeps serving', async () => {
    const json = (target: string) => ({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization: SIGNED,
    });
    const cases: [Record<string, string>, string | Buffer, string][] = [
      [
        json('AmazonEC2ContainerServiceV20141113.ListClusters'),
        '{not json',
        'SerializationException',
      ],
      [
        json('AmazonEC2ContainerServiceV20141113.ListClusters'),
        '[1,2]',
        'SerializationException',
      ],
      [
        json('AmazonEC2ContainerServiceV20141113.NoSuchOp'),
        '{}',
        'UnknownOperationException',
      ],
      [json('Nope.Thing'), '{}', 'UnknownOperationException'],
      [json('garbage'), '{}', 'UnknownOperationException'],
      [
        json('AmazonEC2ContainerServiceV20141113.DescribeServices'),
        '{"services": "x"}',
        'InvalidParameterException',
      ],
      [json('AmazonSSM.GetParameter'), '{"Name": 5}', 'ParameterNotFound'],
      [
        json('AmazonEC2ContainerServiceV20141113.ListClusters'),
        Buffer.alloc(1024 * 1024 + 10, 32),
        'SerializationException',
      ],
      [
        json('AmazonEC2ContainerServiceV20141113.ListClusters'),
        Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
        'SerializationException',
      ],
    ];
    for (const [headers, body, code] of cases) {
      const res = await raw(headers, body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).__type).toBe(code);
      expect(res.headers.get('x-amzn-errortype')).toBe(code);
    }
    // An empty message left callers guessing which call the sandbox lacks.
    const unknown = await raw(
      json('AmazonEC2ContainerServiceV20141113.NoSuchOp'),
      '{}',
    );
    expect(JSON.parse(unknown.text).message).toBe(
      'Unknown operation AmazonEC2ContainerServiceV20141113.NoSuchOp',
    );
    const form = {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: SIGNED.replace('/ecs/', '/cloudformation/'),
    };
    const queryCases: [string, string][] = [
      ['Action=Nope&Version=2010-05-15', 'InvalidAction'],
      ['Version=2010-05-15', 'MissingAction'],
      [
        'Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=%7Bbad',
        'ValidationError',
      ],
      [
        `Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=${encodeURIComponent(
          JSON.stringify({ Resources: { A: { Type: 'AWS::Foo::Bar' } } }),
        )}`,
        'ValidationError',
      ],
      [
        `Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=${'x'.repeat(
          51_201,
        )}`,
        'ValidationError',
      ],
      [
        'Action=CreateStack&Version=2010-05-15&StackName=1bad',
        'ValidationError',
      ],
      [
        'Action=DescribeStacks&Version=2010-05-15&StackName=missing',
        'ValidationError',
      ],
    ];
    for (const [body, code] of queryCases) {
      const res = await raw(form, body);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`<Code>${code}</Code>`);
      // As CloudFormation answers: the service's namespace on ErrorResponse.
      expect(res.text).toMatch(
        /^<ErrorResponse xmlns="http:\/\/cloudformation\.amazonaws\.com\/doc\/2010-05-15\/"><Error><Type>Sender<\/Type>/,
      );
    }
    const unknownType = await raw(
      form,
      `Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=${encodeURIComponent(
        JSON.stringify({ Resources: { A: { Type: 'AWS::Foo::Bar' } } }),
      )}`,
    );
    expect(unknownType.text).toContain(
      'Template format error: Unrecognized resource types: [AWS::Foo::Bar]',
    );
    const health = await adminFetch(t.sb, 'GET', 'health');
    expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });
    const id = await new STSClient(t.config).send(
      new GetCallerIdentityCommand({}),
    );
    expect(id.Account).toBe('000000000000');
  });

  it('throttles, adds latency and injects errors through the admin API', async () => {
    const ecs = new ECSClient(t.config);
    const created = await adminFetch(t.sb, 'POST', 'faults', {
      type: 'throttle',
      service: 'ecs',
      operation: 'DescribeServices',
      rate: 1.0,
    });
    expect(created.status).toBe(201);
    expect(created.json.id).toMatch(/^fault-/);
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'x', services: ['y'] })),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const listed = await adminFetch(t.sb, 'GET', 'faults');
    expect(listed.json.faults).toHaveLength(1);
    expect(
      (await adminFetch(t.sb, 'DELETE', `faults/${created.json.id}`)).status,
    ).toBe(200);

    const cfnThrottle = await adminFetch(t.sb, 'POST', 'faults', {
      type: 'throttle',
      service: 'sts',
    });
    await expect(
      new STSClient(t.config).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'Throttling' });
    await adminFetch(t.sb, 'DELETE', `faults/${cfnThrottle.json.id}`);

    const sts = new STSClient(t.config);
    const before = Date.now();
    await sts.send(new GetCallerIdentityCommand({}));
    const base = Date.now() - before;
    await adminFetch(t.sb, 'POST', 'faults', {
      type: 'latency',
      service: '*',
      ms: 150,
    });
    const start = Date.now();
    await sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - start).toBeGreaterThanOrEqual(150);
    expect(Date.now() - start).toBeLessThan(base + 1000);
    await adminFetch(t.sb, 'DELETE', 'faults');

    await adminFetch(t.sb, 'POST', 'faults', {
      type: 'error',
      service: 'sts',
      status: 500,
      rate: 1,
    });
    await expect(
      sts.send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    await adminFetch(t.sb, 'DELETE', 'faults');

    expect(
      (await adminFetch(t.sb, 'POST', 'faults', { type: 'bogus' })).status,
    ).toBe(400);
    const advanced = await adminFetch(t.sb, 'POST', 'clock/advance', {
      seconds: 60,
    });
    expect(advanced.json.epochMs).toBe(Date.UTC(2026, 0, 15, 12, 1, 0));
    expect((await adminFetch(t.sb, 'POST', 'reset')).status).toBe(200);
  });

  it('throttles a fraction of calls at a rate below 1, reproducibly per seed', async () => {
    const CALLS = 200;
    // Fault dice come from a seeded stream, so a run is exactly repeatable;
    // the bounds below are the rate contract, not a tolerance for noise
    // (for a fair coin, 200 calls land outside 60..140 with p < 1e-8).
    async function throttledCalls(seed: number): Promise<boolean[]> {
      const sb = await startSandbox({ port: 0, clock: 'manual', seed });
      try {
        const fault = await adminFetch(sb, 'POST', 'faults', {
          type: 'throttle',
          service: 'logs',
          operation: 'DescribeLogGroups',
          rate: 0.5,
        });
        expect(fault.status).toBe(201);
        const logs = new CloudWatchLogsClient({
          ...t.config,
          endpoint: sb.url,
        });
        const outcomes: unknown[] = [];
        for (let i = 0; i < CALLS; i++) {
          outcomes.push(
            await logs.send(new DescribeLogGroupsCommand({})).then(
              () => 'ok',
              e => (e instanceof ThrottlingException ? 'throttled' : e),
            ),
          );
          // Other operations of the same service are not affected.
          await expect(
            logs.send(new DescribeLogStreamsCommand({ logGroupName: 'none' })),
          ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        }
        expect(outcomes.filter(o => o !== 'ok' && o !== 'throttled')).toEqual(
          [],
        );
        return outcomes.map(o => o === 'throttled');
      } finally {
        await sb.close();
      }
    }
    const first = await throttledCalls(11);
    const count = first.filter(Boolean).length;
    expect(count).toBeGreaterThanOrEqual(60);
    expect(count).toBeLessThanOrEqual(140);
    expect(await throttledCalls(11)).toEqual(first);
    expect(await throttledCalls(12)).not.toEqual(first);
  });
});
