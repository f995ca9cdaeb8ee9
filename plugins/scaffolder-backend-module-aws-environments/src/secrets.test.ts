import {
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockAws } from './__testUtils__/awsMocks';
import { ensureSecret } from './secrets';

const NAME = '/devops-app/test/app-secret';
const PREVIOUS = 'previous-51aa-do-not-leak';
const NEW = 'canary-7f3a9c1e-do-not-leak';

describe('ensureSecret restorePrevious', () => {
  let aws: ReturnType<typeof mockAws>;
  const ssm = () => new SSMClient({ region: 'us-east-1' });

  beforeEach(() => {
    aws = mockAws();
    aws.parameters.set(NAME, { value: PREVIOUS, version: 4 });
  });
  afterEach(() => aws.reset());

  async function overwrite() {
    const written = await ensureSecret(ssm(), NAME, NEW, {});
    expect(written).toMatchObject({ overwritten: true, created: false });
    expect(aws.parameters.get(NAME)).toMatchObject({ value: NEW, version: 5 });
    return written;
  }

  it('restores when the parameter is still at the version this run wrote, checking metadata only', async () => {
    const written = await overwrite();
    await expect(written.restorePrevious!()).resolves.toBe('restored');
    expect(aws.parameters.get(NAME)?.value).toBe(PREVIOUS);
    const check = aws.ssm.commandCalls(GetParameterCommand).at(-1)!;
    expect(check.args[0].input).toEqual({ Name: NAME, WithDecryption: false });
  });

  it('does not write when the parameter changed meanwhile', async () => {
    const written = await overwrite();
    aws.parameters.set(NAME, { value: 'rotated', version: 6 });
    const puts = aws.ssm.commandCalls(PutParameterCommand).length;
    await expect(written.restorePrevious!()).resolves.toBe('changed');
    expect(aws.ssm.commandCalls(PutParameterCommand)).toHaveLength(puts);
    expect(aws.parameters.get(NAME)?.value).toBe('rotated');
  });

  it('does not recreate a parameter deleted meanwhile', async () => {
    const written = await overwrite();
    aws.parameters.delete(NAME);
    await expect(written.restorePrevious!()).resolves.toBe('changed');
    expect(aws.parameters.has(NAME)).toBe(false);
  });

  it('does not write when SSM did not report the version it wrote', async () => {
    aws.ssm.on(PutParameterCommand).callsFake(input => {
      if (!input.Overwrite) {
        throw Object.assign(new Error('exists'), {
          name: 'ParameterAlreadyExists',
        });
      }
      aws.parameters.set(NAME, { value: input.Value, version: 5 });
      return {};
    });
    const written = await ensureSecret(ssm(), NAME, NEW, {});
    await expect(written.restorePrevious!()).resolves.toBe('unknown');
    expect(aws.parameters.get(NAME)?.value).toBe(NEW);
  });

  it('keeps values out of the error when the check fails', async () => {
    const written = await overwrite();
    aws.ssm
      .on(GetParameterCommand)
      .rejects(new Error(`AccessDenied for ${PREVIOUS}`));
    const error = await written.restorePrevious!().catch(e => e);
    expect(error.message).toBe('AccessDenied for ***');
    expect(aws.parameters.get(NAME)?.value).toBe(NEW);
  });
});
