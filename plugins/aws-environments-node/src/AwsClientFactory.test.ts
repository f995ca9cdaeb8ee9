import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientFactory } from './AwsClientFactory';

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
});
