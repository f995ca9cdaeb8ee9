/*
 * AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress as EC2's query
 * dialect carries them (IpPermissions.N..., the old CidrIp form), their
 * errors, and the rules DescribeSecurityGroups shows afterwards.
 */
import { useSandbox } from '../__testUtils__/sandbox';
import { all, queryRequest, text } from '../__testUtils__/query';

const V = { Version: '2016-11-15' };

describe('EC2 security group ingress rules', () => {
  const t = useSandbox();
  const ec2 = (action: string, params: Record<string, string | number> = {}) =>
    queryRequest(t.sb, 'ec2', { ...V, Action: action, ...params });
  let groupId = '';

  beforeAll(async () => {
    const res = await ec2('DescribeSecurityGroups', {
      'GroupName.1': 'default',
    });
    groupId = text(res.xml, 'securityGroupInfo', 'item', 'groupId');
  });

  const ssh = (cidr: string) => ({
    'IpPermissions.1.IpProtocol': 'tcp',
    'IpPermissions.1.FromPort': 22,
    'IpPermissions.1.ToPort': 22,
    'IpPermissions.1.IpRanges.1.CidrIp': cidr,
    'IpPermissions.1.IpRanges.1.Description': 'ssh',
  });

  it('adds rules that DescribeSecurityGroups then shows', async () => {
    const added = await ec2('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      ...ssh('10.1.0.0/16'),
    });
    expect(added.status).toBe(200);
    expect(text(added.xml, 'return')).toBe('true');
    const rule = all(added.xml, 'securityGroupRuleSet', 'item')[0];
    expect(text(rule, 'groupId')).toBe(groupId);
    expect(text(rule, 'isEgress')).toBe('false');
    expect(text(rule, 'cidrIpv4')).toBe('10.1.0.0/16');
    expect(text(rule, 'securityGroupRuleId')).toMatch(/^sgr-0[0-9a-f]{16}$/);

    // The old form: one CIDR with top-level protocol and ports.
    const old = await ec2('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      CidrIp: '10.2.0.0/16',
    });
    expect(old.status).toBe(200);

    const described = await ec2('DescribeSecurityGroups', {
      'GroupId.1': groupId,
    });
    const permissions = all(
      described.xml,
      'securityGroupInfo',
      'item',
      'ipPermissions',
      'item',
    ).filter(p => text(p, 'ipProtocol') === 'tcp');
    expect(permissions).toHaveLength(1);
    expect(
      all(permissions[0], 'ipRanges', 'item').map(r => text(r, 'cidrIp')),
    ).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
  });

  it('refuses a duplicate, a missing group and an unknown one', async () => {
    const duplicate = await ec2('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      ...ssh('10.1.0.0/16'),
    });
    expect(duplicate.status).toBe(400);
    expect(text(duplicate.xml, 'Errors', 'Error', 'Code')).toBe(
      'InvalidPermission.Duplicate',
    );
    expect(text(duplicate.xml, 'Errors', 'Error', 'Message')).toBe(
      'the specified rule "peer: 10.1.0.0/16, TCP, from port: 22, to port: 22, ALLOW" already exists',
    );

    const missing = await ec2(
      'AuthorizeSecurityGroupIngress',
      ssh('1.2.3.4/32'),
    );
    expect(text(missing.xml, 'Errors', 'Error', 'Code')).toBe(
      'MissingParameter',
    );
    const unknown = await ec2('AuthorizeSecurityGroupIngress', {
      GroupId: 'sg-0000000000000000a',
      ...ssh('1.2.3.4/32'),
    });
    expect(text(unknown.xml, 'Errors', 'Error', 'Code')).toBe(
      'InvalidGroup.NotFound',
    );
    const dry = await ec2('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      DryRun: 'true',
      ...ssh('1.2.3.4/32'),
    });
    expect(dry.status).toBe(412);
  });

  it('revokes rules and lists the ones that did not exist', async () => {
    const res = await ec2('RevokeSecurityGroupIngress', {
      GroupId: groupId,
      ...ssh('10.1.0.0/16'),
      'IpPermissions.2.IpProtocol': 'udp',
      'IpPermissions.2.FromPort': 53,
      'IpPermissions.2.ToPort': 53,
      'IpPermissions.2.IpRanges.1.CidrIp': '10.9.0.0/16',
    });
    expect(res.status).toBe(200);
    expect(text(res.xml, 'return')).toBe('true');
    const unknown = all(res.xml, 'unknownIpPermissionSet', 'item');
    expect(unknown.map(p => text(p, 'ipProtocol'))).toEqual(['udp']);
    const revoked = all(res.xml, 'revokedSecurityGroupRuleSet', 'item');
    expect(revoked.map(r => text(r, 'cidrIpv4'))).toEqual(['10.1.0.0/16']);

    const described = await ec2('DescribeSecurityGroups', {
      'GroupId.1': groupId,
    });
    const cidrs = all(
      described.xml,
      'securityGroupInfo',
      'item',
      'ipPermissions',
      'item',
      'ipRanges',
      'item',
    ).map(r => text(r, 'cidrIp'));
    expect(cidrs).toEqual(['10.2.0.0/16']);
  });
});
