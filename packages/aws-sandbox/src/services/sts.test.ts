import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { useSandbox } from '../__testUtils__/sandbox';

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
});
