/*
 * AWS::EC2::VPC and AWS::EC2::Subnet as records in the region's EC2 state. A
 * VPC comes with its `default` security group and main route table, as on
 * EC2; deleting a subnet drops its route table association.
 */
import {
  addVpc,
  defaultVpc,
  derivedId,
  ec2State,
  zoneId,
} from '../services/ec2Network';
import { hexId, Provider } from './provider';
import { tagsOf } from './ec2ResourceTags';
import {
  checkSubnetCidr,
  checkVpcCidr,
  checkVpcUnused,
  subnetNotFound,
  subnetZone,
  vpcOf,
} from './ec2ResourceValidation';

const cfnBool = (value: unknown) => value === true || value === 'true';

export const vpcProviders: Record<string, Provider> = {
  'AWS::EC2::VPC': {
    create: (p, ctx) => {
      const cidr = p.CidrBlock ?? '10.0.0.0/16';
      checkVpcCidr(cidr);
      const ec2 = ec2State(ctx);
      const id = hexId(ctx, 'vpc');
      const association = hexId(ctx, 'vpc-cidr-assoc');
      const acl = hexId(ctx, 'acl');
      const sg = hexId(ctx, 'sg');
      addVpc(
        ec2,
        {
          VpcId: id,
          CidrBlock: cidr,
          CidrBlockAssociationId: association,
          InstanceTenancy: p.InstanceTenancy ?? 'default',
          DhcpOptionsId:
            defaultVpc(ec2)?.DhcpOptionsId ?? derivedId('dopt', id),
          IsDefault: false,
          EnableDnsSupport:
            p.EnableDnsSupport === undefined
              ? true
              : cfnBool(p.EnableDnsSupport),
          EnableDnsHostnames: cfnBool(p.EnableDnsHostnames),
          DefaultSecurityGroupId: sg,
          MainRouteTableId: derivedId('rtb', id),
          Tags: tagsOf(p, ctx),
        },
        derivedId('rtbassoc', id),
      );
      return {
        physicalId: id,
        attributes: {
          VpcId: id,
          CidrBlock: cidr,
          CidrBlockAssociations: [association],
          DefaultNetworkAcl: acl,
          DefaultSecurityGroup: sg,
          Ipv6CidrBlocks: [],
        },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const vpc = vpcOf(ec2State(ctx), physicalId);
      vpc.EnableDnsSupport =
        p.EnableDnsSupport === undefined ? true : cfnBool(p.EnableDnsSupport);
      vpc.EnableDnsHostnames = cfnBool(p.EnableDnsHostnames);
      vpc.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const ec2 = ec2State(ctx);
      const vpc = ec2.vpcs[physicalId];
      if (!vpc) return;
      checkVpcUnused(ec2, vpc);
      delete ec2.securityGroups[vpc.DefaultSecurityGroupId];
      delete ec2.routeTables[vpc.MainRouteTableId];
      delete ec2.vpcs[physicalId];
    },
    replaceOn: ['CidrBlock', 'Ipv4IpamPoolId', 'InstanceTenancy'],
  },

  'AWS::EC2::Subnet': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const vpc = vpcOf(ec2, p.VpcId);
      const cidr = p.CidrBlock;
      checkSubnetCidr(ec2, vpc, cidr);
      const zone = subnetZone(ctx.region, p);
      const id = hexId(ctx, 'subnet');
      ec2.subnets[id] = {
        SubnetId: id,
        VpcId: vpc.VpcId,
        CidrBlock: cidr,
        AvailabilityZone: zone.ZoneName,
        AvailabilityZoneId: zone.ZoneId,
        MapPublicIpOnLaunch: cfnBool(p.MapPublicIpOnLaunch),
        DefaultForAz: false,
        Tags: tagsOf(p, ctx),
      };
      return {
        physicalId: id,
        attributes: {
          SubnetId: id,
          VpcId: vpc.VpcId,
          CidrBlock: cidr,
          AvailabilityZone: zone.ZoneName,
          AvailabilityZoneId: zoneId(ctx.region, zone.ZoneName),
          Ipv6CidrBlocks: [],
          NetworkAclAssociationId: hexId(ctx, 'aclassoc'),
          OutpostArn: '',
        },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const s = ec2State(ctx).subnets[physicalId];
      if (!s) throw subnetNotFound(physicalId);
      s.MapPublicIpOnLaunch = cfnBool(p.MapPublicIpOnLaunch);
      s.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const ec2 = ec2State(ctx);
      delete ec2.subnets[physicalId];
      for (const t of Object.values(ec2.routeTables)) {
        t.Associations = t.Associations.filter(a => a.SubnetId !== physicalId);
      }
    },
    replaceOn: [
      'VpcId',
      'CidrBlock',
      'AvailabilityZone',
      'AvailabilityZoneId',
      'Ipv6CidrBlock',
    ],
  },
};
