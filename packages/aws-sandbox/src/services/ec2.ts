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
 *
 * This file holds the service: the request shapes and XML element names of
 * each call and the table of handlers. The handlers are per resource family
 * (ec2Zones.ts, ec2Vpcs.ts, ec2Subnets.ts, ec2SecurityGroups.ts,
 * ec2RouteTables.ts, ec2NatGateways.ts, ec2VpnGateways.ts); the filters,
 * paging and errors they share are in ec2Describe.ts.
 */
import { ec2Codec } from '../protocol/ec2Query';
import { flatList, Shape, struct } from '../protocol/queryShapes';
import type { ServiceDefinition } from './types';
import { zoneOperations } from './ec2Zones';
import { vpcOperations } from './ec2Vpcs';
import { subnetOperations } from './ec2Subnets';
import { securityGroupOperations } from './ec2SecurityGroups';
import { routeTableOperations } from './ec2RouteTables';
import { natGatewayOperations } from './ec2NatGateways';
import { vpnGatewayOperations } from './ec2VpnGateways';
import {
  securityGroupRuleOperations,
  securityGroupRuleShapes,
} from './ec2SecurityGroupRules';

export { availabilityZones } from './ec2Network';

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
    ...securityGroupRuleShapes,
  }),
  operations: {
    ...zoneOperations,
    ...vpcOperations,
    ...subnetOperations,
    ...securityGroupOperations,
    ...routeTableOperations,
    ...natGatewayOperations,
    ...vpnGatewayOperations,
    ...securityGroupRuleOperations,
  },
};
