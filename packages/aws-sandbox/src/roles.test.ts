import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { adminFetch, useSandbox } from './__testUtils__/sandbox';
import { parseRoleList } from './roles';

const LISTED = 'arn:aws:iam::111111111111:role/deployer';
const UNLISTED = 'arn:aws:iam::222222222222:role/deployer';

describe('assumable roles', () => {
  const t = useSandbox({ roles: [LISTED] });
  const sts = () => new STSClient(t.config);
  const assume = (RoleArn: string) =>
    sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ci' }));

  afterEach(async () => {
    await adminFetch(t.sb, 'POST', 'roles', { roles: [LISTED] });
  });

  it('assumes a listed role', async () => {
    const res = await assume(LISTED);
    const id = await new STSClient({
      ...t.config,
      credentials: {
        accessKeyId: res.Credentials!.AccessKeyId!,
        secretAccessKey: res.Credentials!.SecretAccessKey!,
        sessionToken: res.Credentials!.SessionToken!,
      } as typeof t.config.credentials,
    }).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('111111111111');
  });

  it('refuses a role that is not listed with 403 AccessDenied', async () => {
    const err = await assume(UNLISTED).catch(e => e);
    expect(err).toBeInstanceOf(STSServiceException);
    expect(err).toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::000000000000:user/sandbox is not authorized to perform: sts:AssumeRole on resource: ${UNLISTED}`,
      $metadata: { httpStatusCode: 403 },
    });
    // Malformed ARNs still fail validation first, as on AWS.
    await expect(assume('arn:aws:iam::1:role/x')).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('changes the list at run time through the admin API', async () => {
    expect((await adminFetch(t.sb, 'GET', 'roles')).json).toEqual({
      roles: [LISTED],
    });
    const set = await adminFetch(t.sb, 'POST', 'roles', {
      roles: [UNLISTED],
    });
    expect(set).toEqual({ status: 200, json: { roles: [UNLISTED] } });
    await expect(assume(LISTED)).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect((await assume(UNLISTED)).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/deployer/ci',
    );

    // null lifts the restriction: any well-formed role again.
    await adminFetch(t.sb, 'POST', 'roles', { roles: null });
    await expect(assume(LISTED)).resolves.toBeDefined();
    expect((await adminFetch(t.sb, 'GET', 'roles')).json).toEqual({
      roles: null,
    });

    const bad = await adminFetch(t.sb, 'POST', 'roles', {
      roles: ['deployer'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('Not role ARNs: deployer');
    expect(
      (await adminFetch(t.sb, 'POST', 'roles', { roles: 'x' })).status,
    ).toBe(400);
  });

  it('keeps the list across a reset', async () => {
    t.sb.reset();
    await expect(assume(UNLISTED)).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('reads --roles and AWS_SANDBOX_ROLES lists', () => {
    expect(parseRoleList(`${LISTED}, ${UNLISTED}`)).toEqual([LISTED, UNLISTED]);
    expect(parseRoleList(` ${LISTED}\n`)).toEqual([LISTED]);
    expect(parseRoleList('')).toBeUndefined();
    expect(parseRoleList(undefined)).toBeUndefined();
  });
});
