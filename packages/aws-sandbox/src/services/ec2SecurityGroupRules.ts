/*
 * AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress: the way a
 * console user changes a security group out of band (and so drifts the
 * stack that made it). Rules come as IpPermissions (or the old CidrIp,
 * IpProtocol, FromPort, ToPort members), one stored rule per peer, with EC2's
 * errors: MissingParameter without a group, InvalidGroup.NotFound,
 * InvalidPermission.Duplicate. Revoking a rule that does not exist is no
 * error for a VPC group; the answer lists it in UnknownIpPermissions.
 */
import { AwsError } from '../protocol/errors';
import { flatList, struct } from '../protocol/queryShapes';
import type { Ec2OperationShapes } from '../protocol/ec2Query';
import type { Ec2SecurityGroup, Ec2SecurityGroupRule } from '../stateEc2';
import type { Handler, RequestContext } from './types';
import { defaultVpc, ec2State } from './ec2Network';
import { dryRun, owner } from './ec2Describe';
import { ruleOf } from '../cloudformation/ec2SecurityGroupResources';

const IP_PERMISSION = struct({
  IpProtocol: 'string',
  FromPort: 'number',
  ToPort: 'number',
  IpRanges: flatList(struct({ CidrIp: 'string', Description: 'string' })),
  Ipv6Ranges: flatList(struct({ CidrIpv6: 'string', Description: 'string' })),
  PrefixListIds: flatList(
    struct({ PrefixListId: 'string', Description: 'string' }),
  ),
  Groups: flatList(
    struct({
      GroupId: 'string',
      GroupName: 'string',
      UserId: 'string',
      Description: 'string',
    }),
  ),
});

const INGRESS_INPUT = struct({
  GroupId: 'string',
  GroupName: 'string',
  IpPermissions: flatList(IP_PERMISSION),
  IpProtocol: 'string',
  FromPort: 'number',
  ToPort: 'number',
  CidrIp: 'string',
  DryRun: 'boolean',
});

export const securityGroupRuleShapes: Record<string, Ec2OperationShapes> = {
  AuthorizeSecurityGroupIngress: {
    input: INGRESS_INPUT,
    locationNames: { SecurityGroupRules: 'securityGroupRuleSet' },
  },
  RevokeSecurityGroupIngress: {
    input: INGRESS_INPUT,
    locationNames: {
      UnknownIpPermissions: 'unknownIpPermissionSet',
      RevokedSecurityGroupRules: 'revokedSecurityGroupRuleSet',
      UserIdGroupPairs: 'groups',
    },
  },
};

function groupOf(input: any, ctx: RequestContext): Ec2SecurityGroup {
  const ec2 = ec2State(ctx);
  if (input.GroupId) {
    const g = ec2.securityGroups[input.GroupId];
    if (g) return g;
    throw new AwsError(
      'InvalidGroup.NotFound',
      `The security group '${input.GroupId}' does not exist`,
    );
  }
  if (input.GroupName) {
    const vpc = defaultVpc(ec2);
    const g = Object.values(ec2.securityGroups).find(
      x => x.GroupName === input.GroupName && x.VpcId === vpc?.VpcId,
    );
    if (g) return g;
    throw new AwsError(
      'InvalidGroup.NotFound',
      `The security group '${input.GroupName}' does not exist in default VPC '${
        vpc?.VpcId ?? 'none'
      }'`,
    );
  }
  throw new AwsError(
    'MissingParameter',
    'The request must contain the parameter groupName or groupId',
  );
}

/** The permissions of a request, one rule per peer, as EC2 stores them. */
function requestedRules(input: any): Ec2SecurityGroupRule[] {
  const permissions: any[] = input.IpPermissions?.length
    ? input.IpPermissions
    : [
        {
          IpProtocol: input.IpProtocol,
          FromPort: input.FromPort,
          ToPort: input.ToPort,
          IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
        },
      ];
  const rules: Ec2SecurityGroupRule[] = [];
  for (const p of permissions) {
    const common = {
      IpProtocol: p.IpProtocol,
      FromPort: p.FromPort,
      ToPort: p.ToPort,
    };
    const peers = [
      ...(p.IpRanges ?? []).map((x: any) => ({ ...x })),
      ...(p.Ipv6Ranges ?? []).map((x: any) => ({ ...x })),
      ...(p.PrefixListIds ?? []).map((x: any) => ({
        SourcePrefixListId: x.PrefixListId,
        Description: x.Description,
      })),
      ...(p.Groups ?? []).map((x: any) => ({
        SourceSecurityGroupId: x.GroupId,
        Description: x.Description,
      })),
    ];
    for (const peer of peers)
      rules.push(ruleOf({ ...common, ...peer }, false, ''));
  }
  if (!rules.length || rules.some(r => !r.IpProtocol)) {
    throw new AwsError(
      'MissingParameter',
      'The request must contain the parameter ipPermissions',
    );
  }
  return rules;
}

const sameRule = (a: Ec2SecurityGroupRule, b: Ec2SecurityGroupRule) =>
  a.egress === b.egress &&
  a.IpProtocol === b.IpProtocol &&
  a.FromPort === b.FromPort &&
  a.ToPort === b.ToPort &&
  a.CidrIp === b.CidrIp &&
  a.CidrIpv6 === b.CidrIpv6 &&
  a.PrefixListId === b.PrefixListId &&
  a.GroupId === b.GroupId;

/**
 * A rule's id: its own for rules added through the API or by a rule
 * resource; a group's inline rules have none stored, so one is derived from
 * the group and the rule, the same each time.
 */
function ruleId(g: Ec2SecurityGroup, r: Ec2SecurityGroupRule): string {
  if (r.source.startsWith('sgr-')) return r.source;
  let h = 0xcbf29ce484222325n;
  for (const ch of `${g.GroupId}|${JSON.stringify(r)}`) {
    h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `sgr-0${h.toString(16).padStart(16, '0')}`;
}

function ruleOutput(
  g: Ec2SecurityGroup,
  r: Ec2SecurityGroupRule,
  ctx: RequestContext,
) {
  const all = r.IpProtocol === '-1';
  const id = ruleId(g, r);
  return {
    SecurityGroupRuleId: id,
    GroupId: g.GroupId,
    GroupOwnerId: owner(ctx),
    IsEgress: r.egress,
    IpProtocol: r.IpProtocol,
    FromPort: all ? -1 : r.FromPort,
    ToPort: all ? -1 : r.ToPort,
    CidrIpv4: r.CidrIp,
    CidrIpv6: r.CidrIpv6,
    PrefixListId: r.PrefixListId,
    ReferencedGroupInfo: r.GroupId
      ? { GroupId: r.GroupId, UserId: owner(ctx) }
      : undefined,
    Description: r.Description,
    SecurityGroupRuleArn: `arn:aws:ec2:${ctx.region}:${owner(
      ctx,
    )}:security-group-rule/${id}`,
  };
}

/** A rule as an IpPermission, for UnknownIpPermissions. */
function permissionOf(r: Ec2SecurityGroupRule, ctx: RequestContext) {
  return {
    IpProtocol: r.IpProtocol,
    FromPort: r.FromPort,
    ToPort: r.ToPort,
    IpRanges: r.CidrIp ? [{ CidrIp: r.CidrIp }] : [],
    Ipv6Ranges: r.CidrIpv6 ? [{ CidrIpv6: r.CidrIpv6 }] : [],
    PrefixListIds: r.PrefixListId ? [{ PrefixListId: r.PrefixListId }] : [],
    UserIdGroupPairs: r.GroupId
      ? [{ GroupId: r.GroupId, UserId: owner(ctx) }]
      : [],
  };
}

function describePeer(r: Ec2SecurityGroupRule) {
  const peer = r.CidrIp ?? r.CidrIpv6 ?? r.PrefixListId ?? r.GroupId;
  const protocol = r.IpProtocol === '-1' ? 'ALL' : r.IpProtocol.toUpperCase();
  return `peer: ${peer}, ${protocol}, from port: ${
    r.FromPort ?? -1
  }, to port: ${r.ToPort ?? -1}, ALLOW`;
}

export const securityGroupRuleOperations: Record<string, Handler> = {
  AuthorizeSecurityGroupIngress: (input, ctx) => {
    const g = groupOf(input, ctx);
    const rules = requestedRules(input);
    dryRun(input);
    for (const r of rules) {
      if (g.rules.some(existing => sameRule(existing, r))) {
        throw new AwsError(
          'InvalidPermission.Duplicate',
          `the specified rule "${describePeer(r)}" already exists`,
        );
      }
    }
    for (const r of rules) {
      r.source = `sgr-0${ctx.sandbox.random.hex(16)}`;
      g.rules.push(r);
    }
    ctx.sandbox.changed();
    return {
      Return: true,
      SecurityGroupRules: rules.map(r => ruleOutput(g, r, ctx)),
    };
  },

  RevokeSecurityGroupIngress: (input, ctx) => {
    const g = groupOf(input, ctx);
    const rules = requestedRules(input);
    dryRun(input);
    const revoked: Ec2SecurityGroupRule[] = [];
    const unknown: Ec2SecurityGroupRule[] = [];
    for (const r of rules) {
      const found = g.rules.find(existing => sameRule(existing, r));
      if (found) revoked.push(found);
      else unknown.push(r);
    }
    g.rules = g.rules.filter(r => !revoked.includes(r));
    ctx.sandbox.changed();
    return {
      Return: true,
      UnknownIpPermissions: unknown.length
        ? unknown.map(r => permissionOf(r, ctx))
        : undefined,
      RevokedSecurityGroupRules: revoked.map(r => ruleOutput(g, r, ctx)),
    };
  },
};
