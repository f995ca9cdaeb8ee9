import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  CreateClusterCommand,
  ECSClient,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import { credentials } from './__testUtils__/sandbox';
import { RunningSandbox, startSandbox } from './index';

const A = '111111111111';

describe('state file with accounts', () => {
  let dir: string;
  let file: string;
  let sb: RunningSandbox | undefined;

  const start = async () => {
    sb = await startSandbox({ port: 0, clock: 'manual', stateFile: file });
    return sb;
  };
  const config = (extra: object = {}) => ({
    endpoint: sb!.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    ...extra,
  });
  const assumed = async (account: string) => {
    const res = await new STSClient(config()).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/deployer`,
        RoleSessionName: 'ci',
      }),
    );
    const c = res.Credentials!;
    return config({
      credentials: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      },
    });
  };
  const stop = async () => {
    await sb?.close();
    sb = undefined;
  };
  const read = () => JSON.parse(fs.readFileSync(file, 'utf8'));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-accounts-'));
    file = path.join(dir, 'state.json');
  });
  afterEach(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('saves each account and its sessions', async () => {
    await start();
    const inA = await assumed(A);
    await new SSMClient(inA).send(
      new PutParameterCommand({ Name: '/a', Value: 'in A', Type: 'String' }),
    );
    await stop();
    expect(read().accounts[A]['us-east-1'].ssm.parameters['/a']).toMatchObject({
      Value: 'in A',
    });

    await start();
    // The session survives the restart, and so does A's parameter.
    inA.endpoint = sb!.url;
    const id = await new STSClient(inA).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe(A);
    const got = await new SSMClient(inA).send(
      new GetParameterCommand({ Name: '/a' }),
    );
    expect(got.Parameter!.Value).toBe('in A');
    await expect(
      new SSMClient(config()).send(new GetParameterCommand({ Name: '/a' })),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('loads a file from before accounts into the default account', async () => {
    await start();
    await new SSMClient(config()).send(
      new PutParameterCommand({ Name: '/old', Value: 'kept', Type: 'String' }),
    );
    await new ECSClient(config()).send(
      new CreateClusterCommand({ clusterName: 'old' }),
    );
    await stop();
    // A version 1 file held the regions at the top, with no accounts.
    const { accounts, ...rest } = read();
    expect(Object.keys(accounts)).toEqual(['000000000000']);
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...rest,
        version: 1,
        regions: accounts['000000000000'],
      }),
    );

    await start();
    const got = await new SSMClient(config()).send(
      new GetParameterCommand({ Name: '/old' }),
    );
    expect(got.Parameter).toMatchObject({
      Value: 'kept',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/old',
    });
    const clusters = await new ECSClient(config()).send(
      new ListClustersCommand({}),
    );
    expect(clusters.clusterArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:cluster/old',
    ]);
    const inA = await assumed(A);
    await expect(
      new SSMClient(inA).send(new GetParameterCommand({ Name: '/old' })),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await stop();
    const saved = read();
    expect(saved.version).toBe(2);
    expect(saved.regions).toBeUndefined();
    expect(
      Object.keys(saved.accounts['000000000000']['us-east-1'].ssm.parameters),
    ).toEqual(['/old']);
  });

  it('refuses a file it does not know', async () => {
    fs.writeFileSync(file, JSON.stringify({ version: 3, accounts: {} }));
    await expect(start()).rejects.toThrow(
      `${file} is not an AWS sandbox state file`,
    );
  });
});
