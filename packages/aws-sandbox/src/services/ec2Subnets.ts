/*
 * DescribeSubnets: the subnets of the region's VPCs, with the addresses each
 * has left (task and NAT gateway interfaces take theirs) and their filters.
 */
import { AwsError } from '../protocol/errors';
import type { Ec2State, Ec2Subnet } from '../stateEc2';
import type { Handler, RequestContext } from './types';
import { blockSize, ec2State } from './ec2Network';
import {
  describeItems,
  dryRun,
  FilterValues,
  owner,
  tagFilters,
} from './ec2Describe';

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

export const subnetOperations: Record<string, Handler> = {
  DescribeSubnets: (input, ctx) => {
    dryRun(input);
    const net = ec2State(ctx);
    const { page, NextToken } = describeItems({
      input,
      all: net.subnets,
      ids: input.SubnetId,
      notFound: id =>
        new AwsError(
          'InvalidSubnetID.NotFound',
          `The subnet ID '${id}' does not exist`,
        ),
      filters: subnetFilters(ctx, net),
      maxResults: 1000,
      kind: 'subnets',
    });
    return {
      Subnets: page.map(s => subnetOutput(s, ctx, net)),
      NextToken,
    };
  },
};
