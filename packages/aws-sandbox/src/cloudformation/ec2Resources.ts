/*
 * CloudFormation's EC2 networking resources as live records in the region's
 * EC2 state (services/ec2Network.ts), so that DescribeVpcs, DescribeSubnets,
 * DescribeSecurityGroups, DescribeRouteTables and DescribeNatGateways answer
 * with what a stack created: the template's properties and tags plus the
 * aws:cloudformation:* tags CloudFormation adds. A VPC comes with its
 * `default` security group and main route table, as on EC2. Ids are drawn
 * from the random stream in the same order as before these were records;
 * the extra ids (main route table, NAT interface) derive from those.
 */
import { AwsError } from '../protocol/errors';
import type {
  Ec2SecurityGroup,
  Ec2SecurityGroupRule,
  Ec2State,
  Ec2Tag,
} from '../state';
import {
  addressIn,
  addVpc,
  availabilityZones,
  blockSize,
  cidrWithin,
  defaultVpc,
  derivedId,
  ec2State,
  isCidr,
  parseCidr,
  stackTags,
  zoneId,
} from '../services/ec2Network';
import { hashString } from '../simulation/random';
import { hexId, Provider, ResourceContext } from './provider';

const cfnBool = (value: unknown) => value === true || value === 'true';

/** The template's Tags plus the stack's and CloudFormation's own. */
function tagsOf(p: any, ctx: ResourceContext): Ec2Tag[] {
  const stack = ctx.regionState.cloudformation.stacks.find(
    s => s.StackId === ctx.stackId,
  );
  return stackTags(p.Tags, {
    stackName: ctx.stackName,
    stackId: ctx.stackId,
    logicalId: ctx.logicalId,
    stackTags: stack?.Tags,
  });
}

const vpcNotFound = (id: unknown) =>
  new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
const subnetNotFound = (id: unknown) =>
  new AwsError(
    'InvalidSubnetID.NotFound',
    `The subnet ID '${id}' does not exist`,
  );
const groupNotFound = (id: unknown) =>
  new AwsError(
    'InvalidGroup.NotFound',
    `The security group '${id}' does not exist`,
  );
const routeTableNotFound = (id: unknown) =>
  new AwsError(
    'InvalidRouteTableID.NotFound',
    `The routeTable ID '${id}' does not exist`,
  );

function vpcOf(ec2: Ec2State, id: unknown) {
  const vpc = typeof id === 'string' ? ec2.vpcs[id] : undefined;
  if (!vpc) throw vpcNotFound(id);
  return vpc;
}

// ---- security group rules ---------------------------------------------------

const PROTOCOLS: Record<string, string> = {
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
};

/** A rule of AWS::EC2::SecurityGroup(Ingress|Egress) as EC2 stores it. */
function ruleOf(r: any, egress: boolean, source: string): Ec2SecurityGroupRule {
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

// ---- the providers ----------------------------------------------------------

export const ec2Providers: Record<string, Provider> = {
  'AWS::EC2::VPC': {
    create: (p, ctx) => {
      const cidr = p.CidrBlock ?? '10.0.0.0/16';
      if (
        !isCidr(cidr) ||
        parseCidr(cidr).bits < 16 ||
        parseCidr(cidr).bits > 28
      ) {
        throw new AwsError(
          'InvalidParameterValue',
          `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
        );
      }
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
      const inUse =
        Object.values(ec2.subnets).some(s => s.VpcId === physicalId) ||
        Object.values(ec2.securityGroups).some(
          g =>
            g.VpcId === physicalId && g.GroupId !== vpc.DefaultSecurityGroupId,
        ) ||
        Object.values(ec2.routeTables).some(
          t =>
            t.VpcId === physicalId && t.RouteTableId !== vpc.MainRouteTableId,
        );
      if (inUse) {
        throw new AwsError(
          'DependencyViolation',
          `The vpc '${physicalId}' has dependencies and cannot be deleted.`,
        );
      }
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
      if (
        !isCidr(cidr) ||
        !cidrWithin(cidr, vpc.CidrBlock) ||
        parseCidr(cidr).bits > 28
      ) {
        throw new AwsError(
          'InvalidSubnet.Range',
          `The CIDR '${cidr}' is invalid.`,
        );
      }
      const clash = Object.values(ec2.subnets).find(
        s =>
          s.VpcId === vpc.VpcId &&
          (cidrWithin(cidr, s.CidrBlock) || cidrWithin(s.CidrBlock, cidr)),
      );
      if (clash) {
        throw new AwsError(
          'InvalidSubnet.Conflict',
          `The CIDR '${cidr}' conflicts with another subnet`,
        );
      }
      const zones = availabilityZones(ctx.region);
      let zone: (typeof zones)[number] | undefined = zones[0];
      if (p.AvailabilityZone) {
        zone = zones.find(z => z.ZoneName === p.AvailabilityZone);
      } else if (p.AvailabilityZoneId) {
        zone = zones.find(z => z.ZoneId === p.AvailabilityZoneId);
      }
      if (!zone) {
        throw new AwsError(
          'InvalidParameterValue',
          `Value (${
            p.AvailabilityZone ?? p.AvailabilityZoneId
          }) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones
            .map(z => z.ZoneName)
            .join(', ')}.`,
        );
      }
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

  'AWS::EC2::RouteTable': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const vpc = vpcOf(ec2, p.VpcId);
      const id = hexId(ctx, 'rtb');
      ec2.routeTables[id] = {
        RouteTableId: id,
        VpcId: vpc.VpcId,
        Routes: [
          {
            DestinationCidrBlock: vpc.CidrBlock,
            GatewayId: 'local',
            Origin: 'CreateRouteTable',
          },
        ],
        Associations: [],
        Tags: tagsOf(p, ctx),
      };
      return { physicalId: id, attributes: { RouteTableId: id } };
    },
    update: (physicalId, p, previous, ctx) => {
      const t = ec2State(ctx).routeTables[physicalId];
      if (!t) throw routeTableNotFound(physicalId);
      t.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const ec2 = ec2State(ctx);
      const t = ec2.routeTables[physicalId];
      if (!t) return;
      if (t.Associations.length > 0) {
        throw new AwsError(
          'DependencyViolation',
          `The routeTable '${physicalId}' has dependencies and cannot be deleted.`,
        );
      }
      delete ec2.routeTables[physicalId];
    },
    replaceOn: ['VpcId'],
  },

  'AWS::EC2::Route': {
    create: (p, ctx) => {
      const t = ec2State(ctx).routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      const destination =
        p.DestinationCidrBlock ??
        p.DestinationIpv6CidrBlock ??
        p.DestinationPrefixListId;
      if (
        t.Routes.some(
          r =>
            (r.DestinationCidrBlock ??
              r.DestinationIpv6CidrBlock ??
              r.DestinationPrefixListId) === destination,
        )
      ) {
        throw new AwsError(
          'RouteAlreadyExists',
          `The route identified by ${destination} already exists.`,
        );
      }
      t.Routes.push(routeOf(p));
      return {
        physicalId: `${t.RouteTableId}|${destination}`,
        attributes: {},
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const t = ec2State(ctx).routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      const destination = physicalId.split('|')[1];
      t.Routes = t.Routes.map(r =>
        r.Origin === 'CreateRoute' &&
        (r.DestinationCidrBlock ??
          r.DestinationIpv6CidrBlock ??
          r.DestinationPrefixListId) === destination
          ? routeOf(p)
          : r,
      );
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const [tableId, destination] = physicalId.split('|');
      const t = ec2State(ctx).routeTables[tableId];
      if (!t) return;
      t.Routes = t.Routes.filter(
        r =>
          r.Origin !== 'CreateRoute' ||
          (r.DestinationCidrBlock ??
            r.DestinationIpv6CidrBlock ??
            r.DestinationPrefixListId) !== destination,
      );
    },
    replaceOn: [
      'RouteTableId',
      'DestinationCidrBlock',
      'DestinationIpv6CidrBlock',
      'DestinationPrefixListId',
    ],
  },

  'AWS::EC2::SubnetRouteTableAssociation': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const t = ec2.routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      if (!ec2.subnets[p.SubnetId]) throw subnetNotFound(p.SubnetId);
      const taken = Object.values(ec2.routeTables).find(x =>
        x.Associations.some(a => a.SubnetId === p.SubnetId),
      );
      if (taken) {
        throw new AwsError(
          'Resource.AlreadyAssociated',
          `the specified association for route table ${taken.RouteTableId} conflicts with an existing association`,
        );
      }
      const id = hexId(ctx, 'rtbassoc');
      t.Associations.push({
        RouteTableAssociationId: id,
        SubnetId: p.SubnetId,
        Main: false,
      });
      return { physicalId: id, attributes: { Id: id } };
    },
    // Another route table for the subnet (ReplaceRouteTableAssociation).
    update: (physicalId, p, previous, ctx) => {
      const ec2 = ec2State(ctx);
      const t = ec2.routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      for (const x of Object.values(ec2.routeTables)) {
        x.Associations = x.Associations.filter(
          a => a.RouteTableAssociationId !== physicalId,
        );
      }
      t.Associations.push({
        RouteTableAssociationId: physicalId,
        SubnetId: p.SubnetId,
        Main: false,
      });
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      for (const t of Object.values(ec2State(ctx).routeTables)) {
        t.Associations = t.Associations.filter(
          a => a.RouteTableAssociationId !== physicalId,
        );
      }
    },
    replaceOn: ['SubnetId'],
  },

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

  'AWS::EC2::EIP': {
    create: (p, ctx) => {
      const r = ctx.sandbox.random;
      const ip = `3.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
      const allocation = hexId(ctx, 'eipalloc');
      ec2State(ctx).addresses[allocation] = {
        AllocationId: allocation,
        PublicIp: ip,
        Domain: p.Domain ?? 'vpc',
        Tags: tagsOf(p, ctx),
      };
      return {
        physicalId: ip,
        attributes: { PublicIp: ip, AllocationId: allocation },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const a =
        ec2State(ctx).addresses[String(previous.attributes.AllocationId)];
      if (a) a.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (_id, _p, attributes, ctx) => {
      delete ec2State(ctx).addresses[String(attributes.AllocationId)];
    },
    replaceOn: ['Domain', 'InstanceId'],
  },

  'AWS::EC2::NatGateway': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const subnet = ec2.subnets[p.SubnetId];
      if (!subnet) throw subnetNotFound(p.SubnetId);
      const connectivity = p.ConnectivityType ?? 'public';
      const address = p.AllocationId
        ? ec2.addresses[p.AllocationId]
        : undefined;
      if (connectivity === 'public' && !address) {
        throw new AwsError(
          'InvalidAllocationID.NotFound',
          `Allocation ID '${p.AllocationId}' not found.`,
        );
      }
      const id = hexId(ctx, 'nat');
      const hostCount = Math.max(1, blockSize(subnet.CidrBlock) - 5);
      ec2.natGateways[id] = {
        NatGatewayId: id,
        SubnetId: subnet.SubnetId,
        VpcId: subnet.VpcId,
        State: 'available',
        ConnectivityType: connectivity,
        AllocationId: address?.AllocationId,
        PublicIp: address?.PublicIp,
        PrivateIp: addressIn(
          subnet.CidrBlock,
          4 + (hashString(id) % hostCount),
        ),
        NetworkInterfaceId: derivedId('eni', id),
        CreateTime: ctx.now,
        Tags: tagsOf(p, ctx),
      };
      return { physicalId: id, attributes: { NatGatewayId: id } };
    },
    update: (physicalId, p, previous, ctx) => {
      const n = ec2State(ctx).natGateways[physicalId];
      if (n) n.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    // A deleted NAT gateway stays visible, in state `deleted`, for an hour.
    delete: (physicalId, _p, _a, ctx) => {
      const n = ec2State(ctx).natGateways[physicalId];
      if (n && n.State !== 'deleted') {
        n.State = 'deleted';
        n.DeleteTime = ctx.now;
      }
    },
    replaceOn: [
      'AllocationId',
      'SubnetId',
      'ConnectivityType',
      'PrivateIpAddress',
    ],
  },
};

function routeOf(p: any) {
  return {
    DestinationCidrBlock: p.DestinationCidrBlock,
    DestinationIpv6CidrBlock: p.DestinationIpv6CidrBlock,
    DestinationPrefixListId: p.DestinationPrefixListId,
    GatewayId: p.GatewayId,
    NatGatewayId: p.NatGatewayId,
    TransitGatewayId: p.TransitGatewayId,
    VpcPeeringConnectionId: p.VpcPeeringConnectionId,
    NetworkInterfaceId: p.NetworkInterfaceId,
    InstanceId: p.InstanceId,
    EgressOnlyInternetGatewayId: p.EgressOnlyInternetGatewayId,
    Origin: 'CreateRoute' as const,
  };
}
