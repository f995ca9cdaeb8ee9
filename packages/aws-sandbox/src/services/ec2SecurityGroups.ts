/*
 * DescribeSecurityGroups (SecurityGroup.fromLookup*): groups by id, by name
 * in the default VPC, or by filter, with their rules grouped into
 * IpPermissions as EC2 shows them.
 */
import { AwsError } from '../protocol/errors';
import type {
  Ec2SecurityGroup,
  Ec2SecurityGroupRule,
  Ec2State,
} from '../stateEc2';
import type { Handler, RequestContext } from './types';
import { defaultVpc, ec2State } from './ec2Network';
import {
  byIds,
  dryRun,
  filterItems,
  FilterValues,
  owner,
  pageOf,
  tagFilters,
} from './ec2Describe';

/** Rules as IpPermissions: one per protocol and port range, as EC2 groups them. */
function permissions(rules: Ec2SecurityGroupRule[], ctx: RequestContext) {
  const byKey = new Map<string, any>();
  for (const r of rules) {
    const all = r.IpProtocol === '-1';
    const key = `${r.IpProtocol}|${all ? '' : r.FromPort}|${
      all ? '' : r.ToPort
    }`;
    let p = byKey.get(key);
    if (!p) {
      p = {
        IpProtocol: r.IpProtocol,
        FromPort: all ? undefined : r.FromPort,
        ToPort: all ? undefined : r.ToPort,
        UserIdGroupPairs: [],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      };
      byKey.set(key, p);
    }
    if (r.CidrIp)
      p.IpRanges.push({ CidrIp: r.CidrIp, Description: r.Description });
    if (r.CidrIpv6) {
      p.Ipv6Ranges.push({ CidrIpv6: r.CidrIpv6, Description: r.Description });
    }
    if (r.PrefixListId) {
      p.PrefixListIds.push({
        PrefixListId: r.PrefixListId,
        Description: r.Description,
      });
    }
    if (r.GroupId) {
      p.UserIdGroupPairs.push({
        GroupId: r.GroupId,
        UserId: owner(ctx),
        Description: r.Description,
      });
    }
  }
  return [...byKey.values()];
}

function securityGroupOutput(g: Ec2SecurityGroup, ctx: RequestContext) {
  return {
    GroupId: g.GroupId,
    GroupName: g.GroupName,
    Description: g.Description,
    VpcId: g.VpcId,
    OwnerId: owner(ctx),
    SecurityGroupArn: `arn:aws:ec2:${ctx.region}:${owner(ctx)}:security-group/${
      g.GroupId
    }`,
    IpPermissions: permissions(
      g.rules.filter(r => !r.egress),
      ctx,
    ),
    IpPermissionsEgress: permissions(
      g.rules.filter(r => r.egress),
      ctx,
    ),
    Tags: g.Tags,
  };
}

/** `ip-permission.*` and `egress.ip-permission.*`: any rule of that direction. */
function ruleFilters(
  prefix: string,
  egress: boolean,
  ctx: RequestContext,
  ec2: Ec2State,
): Record<string, FilterValues<Ec2SecurityGroup>> {
  const of = (g: Ec2SecurityGroup) => g.rules.filter(r => r.egress === egress);
  return {
    [`${prefix}.cidr`]: g => of(g).map(r => r.CidrIp),
    [`${prefix}.from-port`]: g => of(g).map(r => r.FromPort),
    [`${prefix}.to-port`]: g => of(g).map(r => r.ToPort),
    [`${prefix}.group-id`]: g => of(g).map(r => r.GroupId),
    [`${prefix}.group-name`]: g =>
      of(g).map(r =>
        r.GroupId ? ec2.securityGroups[r.GroupId]?.GroupName : undefined,
      ),
    [`${prefix}.ipv6-cidr`]: g => of(g).map(r => r.CidrIpv6),
    [`${prefix}.prefix-list-id`]: g => of(g).map(r => r.PrefixListId),
    [`${prefix}.protocol`]: g => of(g).map(r => r.IpProtocol),
    [`${prefix}.user-id`]: g =>
      of(g).map(r => (r.GroupId ? owner(ctx) : undefined)),
  };
}

function securityGroupFilters(ctx: RequestContext, ec2: Ec2State) {
  const filters: Record<string, FilterValues<Ec2SecurityGroup>> = {
    ...tagFilters<Ec2SecurityGroup>(),
    description: g => [g.Description],
    'group-id': g => [g.GroupId],
    'group-name': g => [g.GroupName],
    'owner-id': () => [owner(ctx)],
    'vpc-id': g => [g.VpcId],
    ...ruleFilters('ip-permission', false, ctx, ec2),
    ...ruleFilters('egress.ip-permission', true, ctx, ec2),
  };
  return filters;
}

export const securityGroupOperations: Record<string, Handler> = {
  DescribeSecurityGroups: (input, ctx) => {
    dryRun(input);
    const net = ec2State(ctx);
    let groups = byIds(
      net.securityGroups,
      input.GroupId,
      id =>
        new AwsError(
          'InvalidGroup.NotFound',
          `The security group '${id}' does not exist`,
        ),
    );
    const names: string[] = input.GroupName ?? [];
    if (names.length) {
      // Names without ids are looked up in the default VPC, as EC2 does.
      const vpc = defaultVpc(net);
      const inScope = input.GroupId?.length
        ? groups
        : groups.filter(g => g.VpcId === vpc?.VpcId);
      for (const name of names) {
        if (!inScope.some(g => g.GroupName === name)) {
          throw new AwsError(
            'InvalidGroup.NotFound',
            `The security group '${name}' does not exist in default VPC '${
              vpc?.VpcId ?? 'none'
            }'`,
          );
        }
      }
      groups = inScope.filter(g => names.includes(g.GroupName));
    }
    const found = filterItems(
      groups,
      input.Filter ?? [],
      securityGroupFilters(ctx, net),
    );
    const { page, NextToken } = pageOf(found, input, 1000, [
      'groups',
      input.GroupId,
      input.GroupName,
      input.Filter,
    ]);
    return {
      SecurityGroups: page.map(g => securityGroupOutput(g, ctx)),
      NextToken,
    };
  },
};
