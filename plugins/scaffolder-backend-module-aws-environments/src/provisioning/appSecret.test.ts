import { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EnvironmentStackDeployFailed } from '@envplane/plugin-aws-environments-node';
import { mockAws } from '../__testUtils__/awsMocks';
import { captureLogger } from '../__testUtils__/fixtures';
import {
  pickSecret,
  undoAppSecret,
  updateTookEffect,
  writeAppSecret,
} from './appSecret';

const NAME = '/devops-app/test/app-secret';
const PREVIOUS = 'previous-4b2e-do-not-leak';
const CANARY = 'canary-7f3a9c1e-do-not-leak';
const EARLIER = new Date('2024-01-01T00:00:00Z');

describe('pickSecret', () => {
  it('takes the task secret appSecret, and nothing for an empty or absent one', () => {
    expect(pickSecret({ appSecret: 'from-task', other: 'x' })).toBe(
      'from-task',
    );
    expect(pickSecret({ appSecret: '' })).toBeUndefined();
    expect(pickSecret({ other: 'x' })).toBeUndefined();
    expect(pickSecret(undefined)).toBeUndefined();
  });

  it.each([' \t ', 'x'.repeat(4097)])(
    'rejects a blank or oversized secret in one line, without quoting it',
    value => {
      let error: Error | undefined;
      try {
        pickSecret({ appSecret: value });
      } catch (e) {
        error = e as Error;
      }
      const message =
        'Invalid input: secrets.appSecret: must be 1 to 4096 characters and not only whitespace';
      expect(error).toMatchObject({ name: 'InputError', message });
      // What the scaffolder writes into the task log.
      expect(error?.stack).toBe(`InputError: ${message}`);
    },
  );
});

describe('the app secret around a deployment', () => {
  let aws: ReturnType<typeof mockAws>;
  const ssm = () => new SSMClient({ region: 'us-east-1' });
  const cfn = () => new CloudFormationClient({ region: 'us-east-1' });

  beforeEach(() => {
    aws = mockAws();
  });
  afterEach(() => aws.reset());

  const existing = (): Stack =>
    aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
      LastUpdatedTime: EARLIER,
    });

  function failure(
    overrides: Partial<EnvironmentStackDeployFailed>,
  ): EnvironmentStackDeployFailed {
    return {
      ok: false,
      status: 'UPDATE_ROLLBACK_COMPLETE',
      error: new Error('update failed'),
      failures: [],
      reason: 'update failed',
      ...overrides,
    };
  }

  async function write(secret: string | undefined) {
    const logger = captureLogger();
    const written = await writeAppSecret(ssm(), {
      name: NAME,
      secret,
      tags: { Project: 'devops-app' },
      environment: 'test',
      logger,
    });
    return { written, lines: logger.lines };
  }

  it('logs whether it created, updated or kept the SecureString, never its value', async () => {
    expect((await write(CANARY)).lines).toEqual([
      `info test: SecureString ${NAME} created`,
    ]);
    expect((await write(undefined)).lines).toEqual([
      `info test: SecureString ${NAME} kept`,
    ]);
    expect((await write('another')).lines).toEqual([
      `info test: SecureString ${NAME} updated`,
    ]);
  });

  it('removes a SecureString this run created', async () => {
    const { written } = await write(CANARY);
    const cleanup = await undoAppSecret(
      written,
      ssm(),
      cfn(),
      failure({ status: 'ROLLBACK_COMPLETE' }),
    );
    expect(cleanup).toBe(`; removed ${NAME}, which this run had created`);
    expect(aws.parameters.has(NAME)).toBe(false);
  });

  it('puts the previous value back when the update did not take effect', async () => {
    const before = existing();
    aws.parameters.set(NAME, { value: PREVIOUS, version: 3 });
    const { written } = await write(CANARY);
    const cleanup = await undoAppSecret(
      written,
      ssm(),
      cfn(),
      failure({
        existing: before,
        stack: aws.putStack('devops-app-test', 'UPDATE_ROLLBACK_COMPLETE'),
      }),
    );
    expect(cleanup).toBe(`; restored the previous value of ${NAME}`);
    expect(aws.parameters.get(NAME)?.value).toBe(PREVIOUS);
  });

  it('keeps the new value when the update completed', async () => {
    const before = existing();
    aws.parameters.set(NAME, { value: PREVIOUS, version: 3 });
    const { written } = await write(CANARY);
    const after = aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
      LastUpdatedTime: new Date('2024-06-01T00:00:00Z'),
    });
    const cleanup = await undoAppSecret(
      written,
      ssm(),
      cfn(),
      failure({ existing: before, stack: after, status: 'UPDATE_COMPLETE' }),
    );
    expect(cleanup).toBe('');
    expect(aws.parameters.get(NAME)?.value).toBe(CANARY);
  });

  describe('updateTookEffect', () => {
    it('is false for a stack that is not settled OK, or gone', async () => {
      const before = existing();
      for (const stack of [
        aws.putStack('devops-app-test', 'UPDATE_ROLLBACK_COMPLETE'),
        undefined,
      ]) {
        expect(await updateTookEffect(cfn(), { existing: before, stack })).toBe(
          false,
        );
      }
    });

    it('is true for a stack this run created', async () => {
      const stack = aws.putStack('devops-app-test', 'CREATE_COMPLETE');
      expect(await updateTookEffect(cfn(), { stack })).toBe(true);
    });

    it('tells an update that went through by a newer LastUpdatedTime or a newer event', async () => {
      const before = existing();
      aws.addEvents('devops-app-test', { ResourceStatus: 'UPDATE_COMPLETE' });
      const lastEventBefore = 'devops-app-test-1';
      // Untouched: same time, same newest event.
      expect(
        await updateTookEffect(cfn(), {
          existing: before,
          stack: before,
          lastEventBefore,
        }),
      ).toBe(false);
      aws.addEvents('devops-app-test', { ResourceStatus: 'UPDATE_COMPLETE' });
      expect(
        await updateTookEffect(cfn(), {
          existing: before,
          stack: before,
          lastEventBefore,
        }),
      ).toBe(true);
      expect(
        await updateTookEffect(cfn(), {
          existing: before,
          stack: { ...before, LastUpdatedTime: new Date() },
          lastEventBefore: 'devops-app-test-2',
        }),
      ).toBe(true);
    });
  });
});
