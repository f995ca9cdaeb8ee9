/*
 * EC2's part of the sandbox's state (state.ts): the networking CloudFormation
 * creates, plus the region's default VPC.
 */
export interface Ec2Tag {
  Key: string;
  Value: string;
}

export interface Ec2Vpc {
  VpcId: string;
  CidrBlock: string;
  CidrBlockAssociationId: string;
  InstanceTenancy: string;
  DhcpOptionsId: string;
  IsDefault: boolean;
  EnableDnsSupport: boolean;
  EnableDnsHostnames: boolean;
  /** The group named `default` and the main route table EC2 made with it. */
  DefaultSecurityGroupId: string;
  MainRouteTableId: string;
  Tags: Ec2Tag[];
}

export interface Ec2Subnet {
  SubnetId: string;
  VpcId: string;
  CidrBlock: string;
  AvailabilityZone: string;
  AvailabilityZoneId: string;
  MapPublicIpOnLaunch: boolean;
  DefaultForAz: boolean;
  Tags: Ec2Tag[];
}

/** One security group rule; DescribeSecurityGroups merges them by protocol and ports. */
export interface Ec2SecurityGroupRule {
  /** `inline` for the group's own SecurityGroupIngress/Egress properties, else the rule resource's id. */
  source: string;
  egress: boolean;
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  GroupId?: string;
  Description?: string;
}

export interface Ec2SecurityGroup {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  rules: Ec2SecurityGroupRule[];
  Tags: Ec2Tag[];
}

export interface Ec2Route {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  TransitGatewayId?: string;
  VpcPeeringConnectionId?: string;
  NetworkInterfaceId?: string;
  InstanceId?: string;
  EgressOnlyInternetGatewayId?: string;
  Origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface Ec2RouteTableAssociation {
  RouteTableAssociationId: string;
  SubnetId?: string;
  Main: boolean;
}

export interface Ec2RouteTable {
  RouteTableId: string;
  VpcId: string;
  Routes: Ec2Route[];
  Associations: Ec2RouteTableAssociation[];
  Tags: Ec2Tag[];
}

export interface Ec2NatGateway {
  NatGatewayId: string;
  SubnetId: string;
  VpcId: string;
  State: 'available' | 'deleted';
  ConnectivityType: string;
  AllocationId?: string;
  PublicIp?: string;
  PrivateIp: string;
  NetworkInterfaceId: string;
  CreateTime: number;
  DeleteTime?: number;
  Tags: Ec2Tag[];
}

export interface Ec2Address {
  AllocationId: string;
  PublicIp: string;
  Domain: string;
  Tags: Ec2Tag[];
}

/** EC2 networking, as CloudFormation creates it (plus the region's default VPC). */
export interface Ec2State {
  vpcs: Record<string, Ec2Vpc>;
  subnets: Record<string, Ec2Subnet>;
  securityGroups: Record<string, Ec2SecurityGroup>;
  routeTables: Record<string, Ec2RouteTable>;
  natGateways: Record<string, Ec2NatGateway>;
  addresses: Record<string, Ec2Address>;
}
