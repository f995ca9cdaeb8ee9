import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { useSandbox } from '../__testUtils__/sandbox';
import { startSandbox } from '../index';

describe('STS', () => {
  const t = useSandbox();

  it('returns the sandbox identity for any key', async () => {
    const sts = new STSClient(t.config);
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('000000000000');
    expect(id.Arn).toBe('arn:aws:iam::000000000000:user/sandbox');
    expect(id.UserId).toBeTruthy();
  });

  it('assumes roles and remembers the temporary identity', async () => {
    const sts = new STSClient(t.config);
    const res = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/deployer',
        RoleSessionName: 'ci',
        DurationSeconds: 900,
      }),
    );
    expect(res.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(res.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(res.Credentials!.Expiration!.getTime()).toBe(
      t.sb.clock.now() + 900_000,
    );
    expect(res.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::123456789012:assumed-role/deployer/ci',
    );
    const assumed = new STSClient({
      ...t.config,
      credentials: {
        accessKeyId: res.Credentials!.AccessKeyId!,
        secretAccessKey: res.Credentials!.SecretAccessKey!,
        sessionToken: res.Credentials!.SessionToken!,
      },
    });
    const id = await assumed.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('123456789012');
    expect(id.Arn).toBe('arn:aws:sts::123456789012:assumed-role/deployer/ci');
  });

  it('rejects malformed role ARNs with a query error', async () => {
    const sts = new STSClient(t.config);
    await expect(
      sts.send(
        new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'x1' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('never hands out a key twice, even from another sandbox with the same seed; a role keeps its id', async () => {
    // A client caches each key's account (toolkit-lib under ~/.cdk): a key
    // repeated by a later run, for another account, would be misread.
    const other = await startSandbox({
      port: 0,
      clock: 'manual',
      startTime: t.sb.clock.now(),
      seed: 7,
    });
    try {
      const assume = (endpoint: string, RoleArn: string) =>
        new STSClient({ ...t.config, endpoint }).send(
          new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ci' }),
        );
      const deployer = 'arn:aws:iam::123456789012:role/deployer';
      const reader = 'arn:aws:iam::123456789012:role/reader';
      const answers = [
        await assume(t.config.endpoint, deployer),
        await assume(other.url, deployer),
        await assume(t.config.endpoint, deployer),
        await assume(t.config.endpoint, reader),
      ];
      const keys = answers.map(a => a.Credentials!.AccessKeyId!);
      expect(new Set(keys).size).toBe(4);
      for (const key of keys) expect(key).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(
        new Set(answers.map(a => a.Credentials!.SecretAccessKey)).size,
      ).toBe(4);
      const roleIds = answers.map(
        a => a.AssumedRoleUser!.AssumedRoleId!.split(':')[0],
      );
      expect(roleIds[0]).toMatch(/^AROA[A-Z2-7]{17}$/);
      expect(roleIds.slice(0, 3)).toEqual([roleIds[0], roleIds[0], roleIds[0]]);
      expect(roleIds[3]).not.toBe(roleIds[0]);
    } finally {
      await other.close();
    }
  });
});
