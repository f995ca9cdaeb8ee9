/*
 * DescribeNatGateways: the NAT gateways the sandbox's CloudFormation created;
 * deleted ones stay visible, in state `deleted`, for an hour.
 */
import { AwsError } from '../protocol/errors';
import type { Ec2NatGateway } from '../stateEc2';
import type { Handler } from './types';
import { ec2State } from './ec2Network';
import { describeItems, dryRun, FilterValues, tagFilters } from './ec2Describe';

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

const NAT_FILTERS: Record<string, FilterValues<Ec2NatGateway>> = {
  ...tagFilters<Ec2NatGateway>(),
  'nat-gateway-id': n => [n.NatGatewayId],
  state: n => [n.State],
  'subnet-id': n => [n.SubnetId],
  'vpc-id': n => [n.VpcId],
};

/** Deleted NAT gateways stay visible for an hour, as on EC2. */
const DELETED_NAT_RETENTION_MS = 3600_000;

export const natGatewayOperations: Record<string, Handler> = {
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
    const { page, NextToken } = describeItems({
      input,
      all: net.natGateways,
      ids: input.NatGatewayId,
      notFound: id =>
        new AwsError('NatGatewayNotFound', `NAT gateway ${id} was not found`),
      filters: NAT_FILTERS,
      maxResults: 1000,
      kind: 'nats',
    });
    return { NatGateways: page.map(natGatewayOutput), NextToken };
  },
};
