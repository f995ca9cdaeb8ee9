import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AWS_CALLS_METRIC, AwsClientFactory } from './AwsClientFactory';

const credentials = async () => ({
  accessKeyId: 'test',
  secretAccessKey: 'test',
});

function credentialsManager(fail: string[] = []) {
  const getCredentialProvider = jest.fn(
    async ({ accountId }: { accountId?: string }) => {
      if (fail.includes(accountId!)) {
        throw new Error(`no AWS integration that matches ${accountId}`);
      }
      return { sdkCredentialProvider: credentials };
    },
  );
  return {
    manager: { getCredentialProvider } as unknown as AwsCredentialsManager,
    getCredentialProvider,
  };
}

const cleanups: Array<() => void> = [];
const afterTest = (cleanup: () => void) => cleanups.push(cleanup);
afterEach(() => cleanups.splice(0).forEach(cleanup => cleanup()));

const QA = { accountId: '111111111111', region: 'eu-west-1' };

describe('AwsClientFactory', () => {
  it('keeps one client per class, account and region', async () => {
    const { manager, getCredentialProvider } = credentialsManager();
    const factory = new AwsClientFactory({ credentialsManager: manager });

    const first = await factory.client(CloudFormationClient, QA);
    expect(await factory.client(CloudFormationClient, { ...QA })).toBe(first);
    expect(await factory.client(SSMClient, QA)).toBeInstanceOf(SSMClient);
    expect(
      await factory.client(CloudFormationClient, {
        ...QA,
        region: 'us-east-1',
      }),
    ).not.toBe(first);
    expect(
      await factory.client(CloudFormationClient, {
        ...QA,
        accountId: '222222222222',
      }),
    ).not.toBe(first);
    // Credentials are looked up once per account.
    expect(getCredentialProvider).toHaveBeenCalledTimes(2);
  });

  it('builds an adaptive-retry client apart from the standard one', async () => {
    const { manager } = credentialsManager();
    const factory = new AwsClientFactory({ credentialsManager: manager });
    const standard = await factory.client(CloudFormationClient, QA);
    const adaptive = await factory.client(CloudFormationClient, QA, {
      retryMode: 'adaptive',
    });
    expect(adaptive).not.toBe(standard);
    expect(
      await factory.client(CloudFormationClient, QA, { retryMode: 'adaptive' }),
    ).toBe(adaptive);
    expect(await adaptive.config.retryStrategy()).toMatchObject({
      mode: 'adaptive',
    });
    expect(await standard.config.retryStrategy()).toMatchObject({
      mode: 'standard',
    });
  });

  it('builds every client with the region, credentials, retries and time limits', async () => {
    const endpointUrl = process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL;
    afterTest(() => {
      if (endpointUrl !== undefined) process.env.AWS_ENDPOINT_URL = endpointUrl;
    });
    const { manager } = credentialsManager();
    const factory = new AwsClientFactory({
      credentialsManager: manager,
      requestTimeoutMs: 1234,
    });
    const client = await factory.client(SSMClient, QA);

    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(3);
    const retryStrategy = (await client.config.retryStrategy()) as {
      mode?: string;
    };
    expect(retryStrategy.mode).toBe('standard');
    // No endpoint of its own: the SDK resolves it (or AWS_ENDPOINT_URL).
    expect(client.config.endpoint).toBeUndefined();
    expect(await client.config.credentials()).toMatchObject({
      accessKeyId: 'test',
    });
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await handler.configProvider).toMatchObject({
      requestTimeout: 1234,
      connectionTimeout: 2000,
    });
  });

  it('hands out the credentials of an account', async () => {
    const { manager } = credentialsManager();
    const factory = new AwsClientFactory({ credentialsManager: manager });
    expect(await factory.credentials(QA.accountId)).toBe(credentials);
  });

  it('retries a failed credential lookup on the next call', async () => {
    const failing = ['111111111111'];
    const { manager, getCredentialProvider } = credentialsManager(failing);
    const factory = new AwsClientFactory({ credentialsManager: manager });

    await expect(factory.client(CloudFormationClient, QA)).rejects.toThrow(
      /no AWS integration/,
    );
    failing.pop();
    await expect(
      factory.client(CloudFormationClient, QA),
    ).resolves.toBeInstanceOf(CloudFormationClient);
    expect(getCredentialProvider).toHaveBeenCalledTimes(2);
  });

  it('counts every attempt of every call with its outcome', async () => {
    // SSM's JSON protocol: throttled once, then answered; then a validation error.
    const answers = [
      [400, { __type: 'ThrottlingException', message: 'Rate exceeded' }],
      [200, { Parameters: [] }],
      [400, { __type: 'ValidationException', message: 'bad filter' }],
    ] as const;
    let served = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [status, body] = answers[served++];
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    afterTest(() => server.close());
    const endpointUrl = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;
    afterTest(() => {
      if (endpointUrl === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = endpointUrl;
    });

    const calls: Array<Record<string, string> | undefined> = [];
    const createCounter = jest.fn(() => ({
      add: (value: number, attributes?: Record<string, string>) => {
        expect(value).toBe(1);
        calls.push(attributes);
      },
    }));
    const { manager } = credentialsManager();
    const factory = new AwsClientFactory({
      credentialsManager: manager,
      metrics: { createCounter, createHistogram: jest.fn() },
    });
    expect(createCounter).toHaveBeenCalledWith(
      AWS_CALLS_METRIC,
      expect.anything(),
    );
    const ssm = await factory.client(SSMClient, QA);
    await ssm.send(new DescribeParametersCommand({}));
    await expect(ssm.send(new DescribeParametersCommand({}))).rejects.toThrow(
      'bad filter',
    );

    const call = { service: 'SSM', operation: 'DescribeParameters' };
    expect(calls).toEqual([
      { ...call, outcome: 'throttled' },
      { ...call, outcome: 'ok' },
      { ...call, outcome: 'failed' },
    ]);
  });
});
