/*
 * Part of the AWS CLI contract: STS get-caller-identity, EC2
 * describe-availability-zones and SSM parameters: calls that need no stack.
 * Not a Jest file: ../../awsCli.contract.test.ts registers the parts, in
 * order, on its one sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, ISO_TIME } from './context';

/** Registers this part's tests, in order. */
export function stsSsmTests(cli: AwsCli) {
  const { ok, fails } = cli;

  it('STS get-caller-identity prints the three documented keys; EC2 lists the region’s zones', async () => {
    const [id, azs] = await Promise.all([
      ok('sts', 'get-caller-identity'),
      ok('ec2', 'describe-availability-zones'),
    ]);
    expect(id).toEqual({
      UserId: expect.any(String),
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:user/sandbox',
    });
    const zones = azs.AvailabilityZones;
    expect(zones.map((z: any) => z.ZoneName)).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map(s => `us-east-1${s}`),
    );
    for (const z of zones) {
      expect(z).toMatchObject({
        State: 'available',
        OptInStatus: 'opt-in-not-required',
        RegionName: 'us-east-1',
        GroupName: 'us-east-1',
        NetworkBorderGroup: 'us-east-1',
        ZoneType: 'availability-zone',
        ZoneId: expect.stringMatching(/^use1-az\d$/),
      });
    }
  });

  it('SSM put-parameter, get-parameter, get-parameters-by-path, delete-parameter and their errors', async () => {
    const put = (name: string, value: string, ...more: string[]) =>
      ok('ssm', 'put-parameter', '--name', name, '--value', value, ...more);
    expect(
      await Promise.all([
        put('/cli/app/url', 'https://example.test', '--type', 'String'),
        put('/cli/app/secret', 's3cr3t', '--type', 'SecureString'),
      ]),
    ).toEqual([
      { Version: 1, Tier: 'Standard' },
      { Version: 1, Tier: 'Standard' },
    ]);
    const [overwritten] = await Promise.all([
      put('/cli/app/url', 'https://example.test/v2', '--overwrite'),
      fails(
        'ParameterAlreadyExists',
        'ssm',
        'put-parameter',
        '--name',
        '/cli/app/secret',
        '--value',
        'x',
        '--type',
        'SecureString',
      ),
      fails('ParameterNotFound', 'ssm', 'get-parameter', '--name', '/cli/no'),
    ]);
    expect(overwritten).toEqual({ Version: 2, Tier: 'Standard' });

    const [got, byPath] = await Promise.all([
      ok('ssm', 'get-parameter', '--name', '/cli/app/url'),
      ok(
        'ssm',
        'get-parameters-by-path',
        '--path',
        '/cli',
        '--recursive',
        '--with-decryption',
      ),
    ]);
    expect(got.Parameter).toEqual({
      Name: '/cli/app/url',
      Type: 'String',
      Value: 'https://example.test/v2',
      Version: 2,
      LastModifiedDate: expect.stringMatching(ISO_TIME),
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/cli/app/url',
      DataType: 'text',
    });
    expect(
      byPath.Parameters.map((p: any) => [p.Name, p.Type, p.Value]).sort(),
    ).toEqual([
      ['/cli/app/secret', 'SecureString', 's3cr3t'],
      ['/cli/app/url', 'String', 'https://example.test/v2'],
    ]);

    expect(
      await ok('ssm', 'delete-parameter', '--name', '/cli/app/secret'),
    ).toBeNull();
    await fails(
      'ParameterNotFound',
      'ssm',
      'delete-parameter',
      '--name',
      '/cli/app/secret',
    );
  });
}
