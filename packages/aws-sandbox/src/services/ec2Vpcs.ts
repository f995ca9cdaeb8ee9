/*
 * DescribeVpcs (the `vpc-provider` lookup of Vpc.fromLookup and the console):
 * the region's default VPC and those the sandbox's CloudFormation created,
 * with their filters.
 */
import { AwsError } from '../protocol/errors';
import type { Ec2Vpc } from '../stateEc2';
import type { Handler, RequestContext } from './types';
import { ec2State } from './ec2Network';
import {
  describeItems,
  dryRun,
  FilterValues,
  owner,
  tagFilters,
} from './ec2Describe';

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

export const vpcOperations: Record<string, Handler> = {
  DescribeVpcs: (input, ctx) => {
    dryRun(input);
    const net = ec2State(ctx);
    const { page, NextToken } = describeItems({
      input,
      all: net.vpcs,
      ids: input.VpcId,
      notFound: id =>
        new AwsError(
          'InvalidVpcID.NotFound',
          `The vpc ID '${id}' does not exist`,
        ),
      filters: VPC_FILTERS,
      maxResults: 1000,
      kind: 'vpcs',
    });
    return { Vpcs: page.map(v => vpcOutput(v, ctx)), NextToken };
  },
};
