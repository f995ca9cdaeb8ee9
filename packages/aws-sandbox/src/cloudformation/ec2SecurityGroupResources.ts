/*
 * AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress and
 * AWS::EC2::SecurityGroupEgress as records in the region's EC2 state: a
 * group's own rules, and the standalone ones added to it, as EC2 stores
 * them (protocol numbers as names, no ports for all traffic).
 */
import { AwsError } from '../protocol/errors';
import type { Ec2SecurityGroup, Ec2SecurityGroupRule } from '../stateEc2';
import { defaultVpc, ec2State } from '../services/ec2Network';
import { hexId, Provider } from './provider';
import { tagsOf } from './ec2ResourceTags';
import { groupNotFound, vpcNotFound, vpcOf } from './ec2ResourceValidation';

const PROTOCOLS: Record<string, string> = {
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
};

/** A rule of AWS::EC2::SecurityGroup(Ingress|Egress) as EC2 stores it. */
export function ruleOf(
  r: any,
  egress: boolean,
  source: string,
): Ec2SecurityGroupRule {
  const raw = String(r.IpProtocol ?? '-1').toLowerCase();
  const protocol = PROTOCOLS[raw] ?? raw;
  const all = protocol === '-1' || protocol === 'all';
  const port = (v: unknown) =>
    v === undefined || v === null || all ? undefined : Number(v);
  return {
    source,
    egress,
    IpProtocol: all ? '-1' : protocol,
    FromPort: port(r.FromPort),
    ToPort: port(r.ToPort),
    CidrIp: r.CidrIp,
    CidrIpv6: r.CidrIpv6,
    PrefixListId: egress ? r.DestinationPrefixListId : r.SourcePrefixListId,
    GroupId: egress ? r.DestinationSecurityGroupId : r.SourceSecurityGroupId,
    Description: r.Description,
  };
}

/** The group's own rules; no egress rules means EC2's default "all out". */
function inlineRules(p: any): Ec2SecurityGroupRule[] {
  const ingress = (p.SecurityGroupIngress ?? []).map((r: any) =>
    ruleOf(r, false, 'inline'),
  );
  const egress = Array.isArray(p.SecurityGroupEgress)
    ? p.SecurityGroupEgress.map((r: any) => ruleOf(r, true, 'inline'))
    : [ruleOf({ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }, true, 'inline')];
  return [...ingress, ...egress];
}

/** A standalone ingress or egress rule resource, added to its group. */
function ruleResource(egress: boolean): Provider {
  return {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      let group: Ec2SecurityGroup | undefined = ec2.securityGroups[p.GroupId];
      if (!group && !egress && p.GroupName) {
        const vpc = defaultVpc(ec2);
        group = Object.values(ec2.securityGroups).find(
          g => g.GroupName === p.GroupName && g.VpcId === vpc?.VpcId,
        );
      }
      if (!group) throw groupNotFound(p.GroupId ?? p.GroupName);
      const id = hexId(ctx, 'sgr');
      group.rules.push(ruleOf(p, egress, id));
      return { physicalId: id, attributes: { Id: id } };
    },
    delete: (physicalId, _p, _a, ctx) => {
      for (const g of Object.values(ec2State(ctx).securityGroups)) {
        g.rules = g.rules.filter(r => r.source !== physicalId);
      }
    },
    replaceOn: 'all',
  };
}

export const securityGroupProviders: Record<string, Provider> = {
  'AWS::EC2::SecurityGroup': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const vpc = p.VpcId ? vpcOf(ec2, p.VpcId) : defaultVpc(ec2);
      if (!vpc) throw vpcNotFound(p.VpcId);
      const id = hexId(ctx, 'sg');
      const name =
        p.GroupName ??
        `${ctx.stackName}-${ctx.logicalId}-${id.slice(-12).toUpperCase()}`;
      if (
        Object.values(ec2.securityGroups).some(
          g => g.VpcId === vpc.VpcId && g.GroupName === name,
        )
      ) {
        throw new AwsError(
          'InvalidGroup.Duplicate',
          `The security group '${name}' already exists for VPC '${vpc.VpcId}'`,
        );
      }
      ec2.securityGroups[id] = {
        GroupId: id,
        GroupName: name,
        Description: String(p.GroupDescription ?? ''),
        VpcId: vpc.VpcId,
        rules: inlineRules(p),
        Tags: tagsOf(p, ctx),
      };
      return { physicalId: id, attributes: { GroupId: id, VpcId: vpc.VpcId } };
    },
    update: (physicalId, p, previous, ctx) => {
      const g = ec2State(ctx).securityGroups[physicalId];
      if (!g) throw groupNotFound(physicalId);
      g.rules = [
        ...inlineRules(p),
        ...g.rules.filter(r => r.source !== 'inline'),
      ];
      g.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      delete ec2State(ctx).securityGroups[physicalId];
    },
    replaceOn: ['GroupDescription', 'GroupName', 'VpcId'],
  },
  'AWS::EC2::SecurityGroupIngress': ruleResource(false),
  'AWS::EC2::SecurityGroupEgress': ruleResource(true),
};
