/*
 * EC2 (its own query dialect), for what CDK apps look up and what a console
 * user browses: DescribeAvailabilityZones (the `availability-zones` context
 * provider), DescribeVpcs, DescribeSubnets, DescribeRouteTables and
 * DescribeVpnGateways (the `vpc-provider` lookup of Vpc.fromLookup),
 * DescribeSecurityGroups (SecurityGroup.fromLookup*) and DescribeNatGateways.
 * The networking is what the sandbox's CloudFormation created plus the
 * region's default VPC (services/ec2Network.ts). Zones are those of the
 * region: us-east-1a..f in us-east-1 (six, as AWS has), <region>a..c
 * elsewhere, all available.
 */
import { AwsError } from '../protocol/errors';
import { ec2Codec } from '../protocol/ec2Query';
import { flatList, Shape, struct } from '../protocol/queryShapes';
import type {
  Ec2NatGateway,
  Ec2RouteTable,
  Ec2SecurityGroup,
  Ec2SecurityGroupRule,
  Ec2State,
  Ec2Subnet,
  Ec2Tag,
  Ec2Vpc,
} from '../state';
import type { RequestContext, ServiceDefinition } from './types';
import { decodeToken, encodeToken } from './paging';
import {
  availabilityZones,
  blockSize,
  defaultVpc,
  ec2State,
} from './ec2Network';

export { availabilityZones } from './ec2Network';

type Zone = ReturnType<typeof availabilityZones>[number];

/** DescribeAvailabilityZones' filter names and the zone field each reads. */
const ZONE_FILTERS: Record<string, keyof Zone> = {
  'zone-name': 'ZoneName',
  'zone-id': 'ZoneId',
  state: 'State',
  'region-name': 'RegionName',
  'group-name': 'GroupName',
  'network-border-group': 'NetworkBorderGroup',
  'opt-in-status': 'OptInStatus',
  'zone-type': 'ZoneType',
};

/** EC2 filter values may use `*` and `?` wildcards. */
const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

const invalidValue = (message: string) =>
  new AwsError('InvalidParameterValue', message);

function dryRun(input: { DryRun?: boolean }) {
  if (input.DryRun) {
    throw new AwsError(
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
      412,
    );
  }
}

// ---- filters and pages ------------------------------------------------------

interface Filter {
  Name?: string;
  Value?: string[];
}

/** The values a filter name reads from an item; a filter matches if any matches. */
type FilterValues<T> = (item: T) => (string | number | boolean | undefined)[];

const tagFilters = <T extends { Tags: Ec2Tag[] }>(): Record<
  string,
  FilterValues<T>
> => ({ 'tag-key': x => x.Tags.map(t => t.Key) });

/** Filters with `*`/`?` wildcards; `tag:<key>` reads the tag's value. */
function filterItems<T extends { Tags: Ec2Tag[] }>(
  items: T[],
  filters: Filter[],
  known: Record<string, FilterValues<T>>,
): T[] {
  const readers = filters.map(f => {
    const name = f.Name ?? '';
    if (name.startsWith('tag:') && name.length > 4) {
      const key = name.slice(4);
      return (x: T) => x.Tags.filter(t => t.Key === key).map(t => t.Value);
    }
    const reader = known[name];
    if (!reader) throw invalidValue(`The filter '${name}' is invalid`);
    return reader;
  });
  return items.filter(item =>
    filters.every((f, i) => {
      const values = readers[i](item)
        .filter(v => v !== undefined)
        .map(String);
      return (f.Value ?? []).some(pattern =>
        values.some(v => matches(pattern, v)),
      );
    }),
  );
}

/** MaxResults/NextToken as the EC2 Describe calls page: all items when no MaxResults. */
function pageOf<T>(
  items: T[],
  input: { MaxResults?: number; NextToken?: string },
  maxSize: number,
  fingerprint: unknown,
): { page: T[]; NextToken?: string } {
  const size = input.MaxResults;
  if (size !== undefined) {
    if (!Number.isInteger(size) || size < 5) {
      throw invalidValue(
        `Value ( ${size} ) for parameter maxResults is invalid. Expecting a value greater than 5.`,
      );
    }
    if (size > maxSize) {
      throw invalidValue(
        `Value ( ${size} ) for parameter maxResults is invalid. Expecting a value less than ${maxSize}.`,
      );
    }
  }
  const print = JSON.stringify(fingerprint);
  const offset =
    input.NextToken !== undefined && input.NextToken !== ''
      ? decodeToken(input.NextToken, print, 'InvalidNextToken')
      : 0;
  const end = size === undefined ? items.length : offset + size;
  return {
    page: items.slice(offset, end),
    NextToken: end < items.length ? encodeToken(end, print) : undefined,
  };
}

/** Items by id, in the order asked; the first unknown id fails the call. */
function byIds<T>(
  all: Record<string, T>,
  ids: string[] | undefined,
  notFound: (id: string) => AwsError,
): T[] {
  if (!ids?.length) return Object.values(all);
  const out: T[] = [];
  for (const id of new Set(ids)) {
    const item = all[id];
    if (!item) throw notFound(id);
    out.push(item);
  }
  return out;
}

const FILTERS_SHAPE = flatList(
  struct({ Name: 'string', Value: flatList('string') }),
);

const describeShape = (ids: string, extra: Record<string, Shape> = {}) =>
  struct({
    [ids]: flatList('string'),
    Filter: FILTERS_SHAPE,
    MaxResults: 'number',
    NextToken: 'string',
    DryRun: 'boolean',
    ...extra,
  });

// ---- shapes of the answers --------------------------------------------------

const owner = (ctx: RequestContext) => ctx.caller.account;

function vpcOutput(v: Ec2Vpc, ctx: RequestContext) {
  return {
    VpcId: v.VpcId,
    OwnerId: owner(ctx),
    State: 'available',
    CidrBlock: v.CidrBlock,
    CidrBlockAssociationSet: [
      {
        AssociationId: v.CidrBlockAssociationId,
        CidrBlock: v.CidrBlock,
        CidrBlockState: { State: 'associated' },
      },
    ],
    Ipv6CidrBlockAssociationSet: [],
    DhcpOptionsId: v.DhcpOptionsId,
    InstanceTenancy: v.InstanceTenancy,
    IsDefault: v.IsDefault,
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: v.Tags,
  };
}

/** Addresses in use: five reserved, plus task and NAT gateway interfaces. */
function availableAddresses(s: Ec2Subnet, ctx: RequestContext, ec2: Ec2State) {
  const tasks = Object.values(ctx.regionState.ecs.tasks).filter(
    t => t.subnetId === s.SubnetId && t.lastStatus !== 'STOPPED',
  ).length;
  const nats = Object.values(ec2.natGateways).filter(
    n => n.SubnetId === s.SubnetId && n.State !== 'deleted',
  ).length;
  return Math.max(0, blockSize(s.CidrBlock) - 5 - tasks - nats);
}

function subnetOutput(s: Ec2Subnet, ctx: RequestContext, ec2: Ec2State) {
  return {
    SubnetId: s.SubnetId,
    SubnetArn: `arn:aws:ec2:${ctx.region}:${owner(ctx)}:subnet/${s.SubnetId}`,
    State: 'available',
    VpcId: s.VpcId,
    CidrBlock: s.CidrBlock,
    AvailableIpAddressCount: availableAddresses(s, ctx, ec2),
    AvailabilityZone: s.AvailabilityZone,
    AvailabilityZoneId: s.AvailabilityZoneId,
    DefaultForAz: s.DefaultForAz,
    MapPublicIpOnLaunch: s.MapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    OwnerId: owner(ctx),
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: s.Tags,
  };
}

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

/** A route to a NAT gateway that is gone is a blackhole, as EC2 shows it. */
function routeState(route: { NatGatewayId?: string }, ec2: Ec2State) {
  if (!route.NatGatewayId) return 'active';
  return ec2.natGateways[route.NatGatewayId]?.State === 'available'
    ? 'active'
    : 'blackhole';
}

function routeTableOutput(
  t: Ec2RouteTable,
  ctx: RequestContext,
  ec2: Ec2State,
) {
  return {
    RouteTableId: t.RouteTableId,
    VpcId: t.VpcId,
    OwnerId: owner(ctx),
    Routes: t.Routes.map(r => ({ ...r, State: routeState(r, ec2) })),
    Associations: t.Associations.map(a => ({
      Main: a.Main,
      RouteTableAssociationId: a.RouteTableAssociationId,
      RouteTableId: t.RouteTableId,
      SubnetId: a.SubnetId,
      AssociationState: { State: 'associated' },
    })),
    PropagatingVgws: [],
    Tags: t.Tags,
  };
}

function natGatewayOutput(n: Ec2NatGateway) {
  return {
    NatGatewayId: n.NatGatewayId,
    CreateTime: new Date(n.CreateTime),
    DeleteTime: n.DeleteTime !== undefined ? new Date(n.DeleteTime) : undefined,
    NatGatewayAddresses: [
      {
        AllocationId: n.AllocationId,
        NetworkInterfaceId: n.NetworkInterfaceId,
        PrivateIp: n.PrivateIp,
        PublicIp: n.PublicIp,
        IsPrimary: true,
        Status: 'succeeded',
      },
    ],
    State: n.State,
    SubnetId: n.SubnetId,
    VpcId: n.VpcId,
    ConnectivityType: n.ConnectivityType,
    Tags: n.Tags,
  };
}

// ---- the filters each call knows --------------------------------------------

const VPC_FILTERS: Record<string, FilterValues<Ec2Vpc>> = {
  ...tagFilters<Ec2Vpc>(),
  cidr: v => [v.CidrBlock],
  'cidr-block-association.cidr-block': v => [v.CidrBlock],
  'cidr-block-association.association-id': v => [v.CidrBlockAssociationId],
  'cidr-block-association.state': () => ['associated'],
  'dhcp-options-id': v => [v.DhcpOptionsId],
  'ipv6-cidr-block-association.ipv6-cidr-block': () => [],
  'ipv6-cidr-block-association.ipv6-pool': () => [],
  'ipv6-cidr-block-association.association-id': () => [],
  'ipv6-cidr-block-association.state': () => [],
  'is-default': v => [v.IsDefault],
  // The name CDK's Vpc.fromLookup({ isDefault }) sends.
  isDefault: v => [v.IsDefault],
  'owner-id': () => [],
  state: () => ['available'],
  'vpc-id': v => [v.VpcId],
};

function subnetFilters(ctx: RequestContext, ec2: Ec2State) {
  const az: FilterValues<Ec2Subnet> = s => [s.AvailabilityZone];
  const azId: FilterValues<Ec2Subnet> = s => [s.AvailabilityZoneId];
  const cidr: FilterValues<Ec2Subnet> = s => [s.CidrBlock];
  const defaultForAz: FilterValues<Ec2Subnet> = s => [s.DefaultForAz];
  const filters: Record<string, FilterValues<Ec2Subnet>> = {
    ...tagFilters<Ec2Subnet>(),
    'availability-zone': az,
    availabilityZone: az,
    'availability-zone-id': azId,
    availabilityZoneId: azId,
    'available-ip-address-count': s => [availableAddresses(s, ctx, ec2)],
    'cidr-block': cidr,
    cidr,
    cidrBlock: cidr,
    'customer-owned-ipv4-pool': () => [],
    'default-for-az': defaultForAz,
    defaultForAz,
    'enable-dns64': () => [false],
    'enable-lni-at-device-index': () => [],
    'ipv6-cidr-block-association.ipv6-cidr-block': () => [],
    'ipv6-cidr-block-association.association-id': () => [],
    'ipv6-cidr-block-association.state': () => [],
    'ipv6-native': () => [false],
    'map-customer-owned-ip-on-launch': () => [false],
    'map-public-ip-on-launch': s => [s.MapPublicIpOnLaunch],
    'outpost-arn': () => [],
    'owner-id': () => [owner(ctx)],
    'private-dns-name-options-on-launch.hostname-type': () => ['ip-name'],
    'private-dns-name-options-on-launch.enable-resource-name-dns-a-record':
      () => [false],
    'private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record':
      () => [false],
    state: () => ['available'],
    'subnet-arn': s => [
      `arn:aws:ec2:${ctx.region}:${owner(ctx)}:subnet/${s.SubnetId}`,
    ],
    'subnet-id': s => [s.SubnetId],
    'vpc-id': s => [s.VpcId],
  };
  return filters;
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

function routeTableFilters(ctx: RequestContext, ec2: Ec2State) {
  const route =
    (key: keyof Ec2RouteTable['Routes'][number]): FilterValues<Ec2RouteTable> =>
    t =>
      t.Routes.map(r => r[key]);
  const filters: Record<string, FilterValues<Ec2RouteTable>> = {
    ...tagFilters<Ec2RouteTable>(),
    'association.gateway-id': () => [],
    'association.route-table-association-id': t =>
      t.Associations.map(a => a.RouteTableAssociationId),
    'association.route-table-id': t =>
      t.Associations.length ? [t.RouteTableId] : [],
    'association.subnet-id': t => t.Associations.map(a => a.SubnetId),
    'association.main': t => t.Associations.map(a => a.Main),
    'owner-id': () => [owner(ctx)],
    'route-table-id': t => [t.RouteTableId],
    'route.destination-cidr-block': route('DestinationCidrBlock'),
    'route.destination-ipv6-cidr-block': route('DestinationIpv6CidrBlock'),
    'route.destination-prefix-list-id': route('DestinationPrefixListId'),
    'route.egress-only-internet-gateway-id': route(
      'EgressOnlyInternetGatewayId',
    ),
    'route.gateway-id': route('GatewayId'),
    'route.instance-id': route('InstanceId'),
    'route.nat-gateway-id': route('NatGatewayId'),
    'route.transit-gateway-id': route('TransitGatewayId'),
    'route.origin': route('Origin'),
    'route.state': t => t.Routes.map(r => routeState(r, ec2)),
    'route.vpc-peering-connection-id': route('VpcPeeringConnectionId'),
    'vpc-id': t => [t.VpcId],
  };
  return filters;
}

const NAT_FILTERS: Record<string, FilterValues<Ec2NatGateway>> = {
  ...tagFilters<Ec2NatGateway>(),
  'nat-gateway-id': n => [n.NatGatewayId],
  state: n => [n.State],
  'subnet-id': n => [n.SubnetId],
  'vpc-id': n => [n.VpcId],
};

const VPN_GATEWAY_FILTERS = [
  'amazon-side-asn',
  'attachment.state',
  'attachment.vpc-id',
  'availability-zone',
  'state',
  'type',
  'vpn-gateway-id',
  'tag-key',
];

/** Deleted NAT gateways stay visible for an hour, as on EC2. */
const DELETED_NAT_RETENTION_MS = 3600_000;

export const ec2: ServiceDefinition = {
  name: 'ec2',
  signingName: 'ec2',
  protocol: 'ec2',
  query: ec2Codec({
    DescribeAvailabilityZones: {
      input: struct({
        ZoneName: flatList('string'),
        ZoneId: flatList('string'),
        AllAvailabilityZones: 'boolean',
        DryRun: 'boolean',
        Filter: FILTERS_SHAPE,
      }),
      locationNames: {
        AvailabilityZones: 'availabilityZoneInfo',
        State: 'zoneState',
        Messages: 'messageSet',
      },
    },
    DescribeVpcs: {
      input: describeShape('VpcId'),
      locationNames: { Vpcs: 'vpcSet', Tags: 'tagSet' },
    },
    DescribeSubnets: {
      input: describeShape('SubnetId'),
      locationNames: { Subnets: 'subnetSet', Tags: 'tagSet' },
    },
    DescribeSecurityGroups: {
      input: describeShape('GroupId', { GroupName: flatList('string') }),
      locationNames: {
        SecurityGroups: 'securityGroupInfo',
        'SecurityGroups.Description': 'groupDescription',
        UserIdGroupPairs: 'groups',
        Tags: 'tagSet',
      },
    },
    DescribeRouteTables: {
      input: describeShape('RouteTableId'),
      locationNames: {
        RouteTables: 'routeTableSet',
        Routes: 'routeSet',
        Associations: 'associationSet',
        PropagatingVgws: 'propagatingVgwSet',
        Tags: 'tagSet',
      },
    },
    DescribeNatGateways: {
      input: describeShape('NatGatewayId'),
      locationNames: {
        NatGateways: 'natGatewaySet',
        NatGatewayAddresses: 'natGatewayAddressSet',
        Tags: 'tagSet',
      },
    },
    DescribeVpnGateways: {
      input: struct({
        VpnGatewayId: flatList('string'),
        Filter: FILTERS_SHAPE,
        DryRun: 'boolean',
      }),
      locationNames: { VpnGateways: 'vpnGatewaySet' },
    },
  }),
  operations: {
    DescribeAvailabilityZones: (input, ctx) => {
      dryRun(input);
      const all = availabilityZones(ctx.region);
      const names: string[] = input.ZoneName ?? [];
      const ids: string[] = input.ZoneId ?? [];
      for (const name of names) {
        if (!all.some(z => z.ZoneName === name)) {
          throw invalidValue(`Invalid availability zone: [${name}]`);
        }
      }
      for (const id of ids) {
        if (!all.some(z => z.ZoneId === id)) {
          throw invalidValue(`Invalid availability zone ID: [${id}]`);
        }
      }
      const filters: Filter[] = input.Filter ?? [];
      for (const f of filters) {
        if (!f.Name || !ZONE_FILTERS[f.Name]) {
          throw invalidValue(`The filter '${f.Name ?? ''}' is invalid`);
        }
      }
      return {
        AvailabilityZones: all.filter(
          z =>
            (names.length === 0 || names.includes(z.ZoneName)) &&
            (ids.length === 0 || ids.includes(z.ZoneId)) &&
            filters.every(f =>
              (f.Value ?? []).some(v =>
                matches(v, String(z[ZONE_FILTERS[f.Name!]])),
              ),
            ),
        ),
      };
    },

    DescribeVpcs: (input, ctx) => {
      dryRun(input);
      const net = ec2State(ctx);
      const vpcs = filterItems(
        byIds(
          net.vpcs,
          input.VpcId,
          id =>
            new AwsError(
              'InvalidVpcID.NotFound',
              `The vpc ID '${id}' does not exist`,
            ),
        ),
        input.Filter ?? [],
        VPC_FILTERS,
      );
      const { page, NextToken } = pageOf(vpcs, input, 1000, [
        'vpcs',
        input.VpcId,
        input.Filter,
      ]);
      return { Vpcs: page.map(v => vpcOutput(v, ctx)), NextToken };
    },

    DescribeSubnets: (input, ctx) => {
      dryRun(input);
      const net = ec2State(ctx);
      const subnets = filterItems(
        byIds(
          net.subnets,
          input.SubnetId,
          id =>
            new AwsError(
              'InvalidSubnetID.NotFound',
              `The subnet ID '${id}' does not exist`,
            ),
        ),
        input.Filter ?? [],
        subnetFilters(ctx, net),
      );
      const { page, NextToken } = pageOf(subnets, input, 1000, [
        'subnets',
        input.SubnetId,
        input.Filter,
      ]);
      return {
        Subnets: page.map(s => subnetOutput(s, ctx, net)),
        NextToken,
      };
    },

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

    DescribeRouteTables: (input, ctx) => {
      dryRun(input);
      const net = ec2State(ctx);
      const tables = filterItems(
        byIds(
          net.routeTables,
          input.RouteTableId,
          id =>
            new AwsError(
              'InvalidRouteTableID.NotFound',
              `The routeTable ID '${id}' does not exist`,
            ),
        ),
        input.Filter ?? [],
        routeTableFilters(ctx, net),
      );
      const { page, NextToken } = pageOf(tables, input, 100, [
        'routeTables',
        input.RouteTableId,
        input.Filter,
      ]);
      return {
        RouteTables: page.map(t => routeTableOutput(t, ctx, net)),
        NextToken,
      };
    },

    DescribeNatGateways: (input, ctx) => {
      dryRun(input);
      const net = ec2State(ctx);
      for (const [id, n] of Object.entries(net.natGateways)) {
        if (
          n.DeleteTime !== undefined &&
          n.DeleteTime < ctx.now - DELETED_NAT_RETENTION_MS
        ) {
          delete net.natGateways[id];
        }
      }
      const nats = filterItems(
        byIds(
          net.natGateways,
          input.NatGatewayId,
          id =>
            new AwsError(
              'NatGatewayNotFound',
              `NAT gateway ${id} was not found`,
            ),
        ),
        input.Filter ?? [],
        NAT_FILTERS,
      );
      const { page, NextToken } = pageOf(nats, input, 1000, [
        'nats',
        input.NatGatewayId,
        input.Filter,
      ]);
      return { NatGateways: page.map(natGatewayOutput), NextToken };
    },

    // The sandbox has no virtual private gateways (no template creates one),
    // so every valid request finds none.
    DescribeVpnGateways: input => {
      dryRun(input);
      for (const f of (input.Filter ?? []) as Filter[]) {
        const name = f.Name ?? '';
        if (!VPN_GATEWAY_FILTERS.includes(name) && !/^tag:./.test(name)) {
          throw invalidValue(`The filter '${name}' is invalid`);
        }
      }
      const [id] = input.VpnGatewayId ?? [];
      if (id) {
        throw new AwsError(
          'InvalidVpnGatewayID.NotFound',
          `The virtual private gateway ID '${id}' does not exist`,
        );
      }
      return { VpnGateways: [] };
    },
  },
};
