/*
 * CloudFormation's EC2 networking resources as live records in the region's
 * EC2 state (services/ec2Network.ts), so that DescribeVpcs, DescribeSubnets,
 * DescribeSecurityGroups, DescribeRouteTables and DescribeNatGateways answer
 * with what a stack created: the template's properties and tags plus the
 * aws:cloudformation:* tags CloudFormation adds. A VPC comes with its
 * `default` security group and main route table, as on EC2. Ids are drawn
 * from the random stream in the same order as before these were records;
 * the extra ids (main route table, NAT interface) derive from those.
 *
 * The providers are per resource family (ec2VpcResources.ts,
 * ec2RouteResources.ts, ec2SecurityGroupResources.ts, ec2NatResources.ts);
 * what EC2 checks is in ec2ResourceValidation.ts and the tags in
 * ec2ResourceTags.ts.
 */
import type { Provider } from './provider';
import { vpcProviders } from './ec2VpcResources';
import { routeProviders } from './ec2RouteResources';
import { securityGroupProviders } from './ec2SecurityGroupResources';
import { natProviders } from './ec2NatResources';

export const ec2Providers: Record<string, Provider> = {
  ...vpcProviders,
  ...routeProviders,
  ...securityGroupProviders,
  ...natProviders,
};
