/*
 * What EC2 checks before it creates or deletes a VPC or subnet, and the
 * not-found errors of the records the EC2 resources refer to, in EC2's codes
 * and wording: a VPC block from /16 to /28, a subnet block inside its VPC's
 * and overlapping no other subnet, a zone the region has, no VPC deleted
 * while subnets, security groups or route tables of its own remain.
 */
import { AwsError } from '../protocol/errors';
import type { Ec2State, Ec2Vpc } from '../stateEc2';
import {
  availabilityZones,
  cidrWithin,
  isCidr,
  parseCidr,
} from '../services/ec2Network';

export const vpcNotFound = (id: unknown) =>
  new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
export const subnetNotFound = (id: unknown) =>
  new AwsError(
    'InvalidSubnetID.NotFound',
    `The subnet ID '${id}' does not exist`,
  );
export const groupNotFound = (id: unknown) =>
  new AwsError(
    'InvalidGroup.NotFound',
    `The security group '${id}' does not exist`,
  );
export const routeTableNotFound = (id: unknown) =>
  new AwsError(
    'InvalidRouteTableID.NotFound',
    `The routeTable ID '${id}' does not exist`,
  );

export function vpcOf(ec2: Ec2State, id: unknown) {
  const vpc = typeof id === 'string' ? ec2.vpcs[id] : undefined;
  if (!vpc) throw vpcNotFound(id);
  return vpc;
}

/** A VPC's block: a CIDR from /16 to /28. */
export function checkVpcCidr(cidr: any): void {
  if (!isCidr(cidr) || parseCidr(cidr).bits < 16 || parseCidr(cidr).bits > 28) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
    );
  }
}

/** A subnet's block: inside its VPC's, /28 or larger, apart from the VPC's other subnets. */
export function checkSubnetCidr(ec2: Ec2State, vpc: Ec2Vpc, cidr: any): void {
  if (
    !isCidr(cidr) ||
    !cidrWithin(cidr, vpc.CidrBlock) ||
    parseCidr(cidr).bits > 28
  ) {
    throw new AwsError('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
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
}

/** A subnet's zone: by AvailabilityZone, else AvailabilityZoneId, else the region's first. */
export function subnetZone(region: string, p: any) {
  const zones = availabilityZones(region);
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
  return zone;
}

/** A VPC goes only when nothing but its default group and main route table is left in it. */
export function checkVpcUnused(ec2: Ec2State, vpc: Ec2Vpc): void {
  const physicalId = vpc.VpcId;
  const inUse =
    Object.values(ec2.subnets).some(s => s.VpcId === physicalId) ||
    Object.values(ec2.securityGroups).some(
      g => g.VpcId === physicalId && g.GroupId !== vpc.DefaultSecurityGroupId,
    ) ||
    Object.values(ec2.routeTables).some(
      t => t.VpcId === physicalId && t.RouteTableId !== vpc.MainRouteTableId,
    );
  if (inUse) {
    throw new AwsError(
      'DependencyViolation',
      `The vpc '${physicalId}' has dependencies and cannot be deleted.`,
    );
  }
}
