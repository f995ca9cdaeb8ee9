/*
 * DescribeRouteTables (the `vpc-provider` lookup reads which subnets are
 * public): routes, with a route to a NAT gateway that is gone shown as a
 * blackhole, associations and filters.
 */
import { AwsError } from '../protocol/errors';
import type { Ec2RouteTable, Ec2State } from '../stateEc2';
import type { Handler, RequestContext } from './types';
import { ec2State } from './ec2Network';
import {
  describeItems,
  dryRun,
  FilterValues,
  owner,
  tagFilters,
} from './ec2Describe';

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

export const routeTableOperations: Record<string, Handler> = {
  DescribeRouteTables: (input, ctx) => {
    dryRun(input);
    const net = ec2State(ctx);
    const { page, NextToken } = describeItems({
      input,
      all: net.routeTables,
      ids: input.RouteTableId,
      notFound: id =>
        new AwsError(
          'InvalidRouteTableID.NotFound',
          `The routeTable ID '${id}' does not exist`,
        ),
      filters: routeTableFilters(ctx, net),
      maxResults: 100,
      kind: 'routeTables',
    });
    return {
      RouteTables: page.map(t => routeTableOutput(t, ctx, net)),
      NextToken,
    };
  },
};
