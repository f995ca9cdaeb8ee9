/*
 * EC2 DescribeVpcs, DescribeSubnets, DescribeSecurityGroups,
 * DescribeRouteTables and DescribeNatGateways answering with what a stack
 * deployed through the sandbox's CloudFormation created, in EC2's query
 * dialect (botocore ec2/2016-11-15: `VpcId.N`, `Filter.N.Name`,
 * `Filter.N.Value.M`, MaxResults/NextToken in; `vpcSet/item`,
 * `securityGroupInfo/item/groupDescription`, `routeSet`, `tagSet` out), and
 * the `vpc-provider` and `security-group` lookups toolkit-lib makes for
 * Vpc.fromLookup and SecurityGroup.fromLookupByName through its own EC2
 * client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Toolkit } from '@aws-cdk/toolkit-lib';
import type { IIoHost } from '@aws-cdk/toolkit-lib';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { useSandbox, waitFor } from '../__testUtils__/sandbox';
import { all, queryRequest, text, XmlNode } from '../__testUtils__/query';

jest.setTimeout(60_000);

const cidrTag = (name: string, type: string) => [
  { Key: 'Name', Value: `lookup-vpc/${name}` },
  { Key: 'aws-cdk:subnet-name', Value: name },
  { Key: 'aws-cdk:subnet-type', Value: type },
];

/** Two public and two private subnets, one NAT gateway, a security group. */
const network = JSON.stringify({
  Resources: {
    Vpc: {
      Type: 'AWS::EC2::VPC',
      Properties: {
        CidrBlock: '10.20.0.0/16',
        EnableDnsHostnames: true,
        Tags: [{ Key: 'Name', Value: 'lookup-vpc' }],
      },
    },
    PublicA: subnet('10.20.0.0/24', 'us-east-1a', true, 'Public'),
    PublicB: subnet('10.20.1.0/24', 'us-east-1b', true, 'Public'),
    PrivateA: subnet('10.20.10.0/24', 'us-east-1a', false, 'Private'),
    PrivateB: subnet('10.20.11.0/24', 'us-east-1b', false, 'Private'),
    Igw: { Type: 'AWS::EC2::InternetGateway' },
    IgwAttachment: {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Igw' } },
    },
    PublicRoutes: {
      Type: 'AWS::EC2::RouteTable',
      Properties: { VpcId: { Ref: 'Vpc' } },
    },
    PublicDefault: {
      Type: 'AWS::EC2::Route',
      DependsOn: 'IgwAttachment',
      Properties: {
        RouteTableId: { Ref: 'PublicRoutes' },
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: { Ref: 'Igw' },
      },
    },
    PublicAAssoc: association('PublicRoutes', 'PublicA'),
    PublicBAssoc: association('PublicRoutes', 'PublicB'),
    NatIp: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
    Nat: {
      Type: 'AWS::EC2::NatGateway',
      Properties: {
        SubnetId: { Ref: 'PublicA' },
        AllocationId: { 'Fn::GetAtt': ['NatIp', 'AllocationId'] },
        Tags: [{ Key: 'Name', Value: 'lookup-nat' }],
      },
    },
    PrivateRoutes: {
      Type: 'AWS::EC2::RouteTable',
      Properties: { VpcId: { Ref: 'Vpc' } },
    },
    PrivateDefault: {
      Type: 'AWS::EC2::Route',
      Properties: {
        RouteTableId: { Ref: 'PrivateRoutes' },
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: 'Nat' },
      },
    },
    PrivateAAssoc: association('PrivateRoutes', 'PrivateA'),
    PrivateBAssoc: association('PrivateRoutes', 'PrivateB'),
    WebSg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupName: 'lookup-web',
        GroupDescription: 'web & api',
        VpcId: { Ref: 'Vpc' },
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' },
          {
            IpProtocol: 'tcp',
            FromPort: 80,
            ToPort: 80,
            CidrIp: '10.0.0.0/8',
            Description: 'internal',
          },
        ],
        SecurityGroupEgress: [
          { IpProtocol: '-1', CidrIp: '0.0.0.0/0' },
          { IpProtocol: '-1', CidrIpv6: '::/0' },
        ],
      },
    },
    AppSg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'app', VpcId: { Ref: 'Vpc' } },
    },
    AppFromWeb: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: { 'Fn::GetAtt': ['AppSg', 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 5000,
        ToPort: 5000,
        SourceSecurityGroupId: { 'Fn::GetAtt': ['WebSg', 'GroupId'] },
      },
    },
  },
  Outputs: {
    DefaultSg: { Value: { 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] } },
  },
});

function subnet(cidr: string, az: string, pub: boolean, type: string) {
  return {
    Type: 'AWS::EC2::Subnet',
    Properties: {
      VpcId: { Ref: 'Vpc' },
      CidrBlock: cidr,
      AvailabilityZone: az,
      MapPublicIpOnLaunch: pub,
      Tags: cidrTag(type === 'Public' ? 'public' : 'private', type),
    },
  };
}

function association(table: string, subnetId: string) {
  return {
    Type: 'AWS::EC2::SubnetRouteTableAssociation',
    Properties: { RouteTableId: { Ref: table }, SubnetId: { Ref: subnetId } },
  };
}

const V = { Version: '2016-11-15' };

const tagsOf = (node: XmlNode) =>
  Object.fromEntries(
    all(node, 'tagSet', 'item').map(t => [text(t, 'key'), text(t, 'value')]),
  );

const errorOf = (xml: XmlNode) => ({
  code: text(xml, 'Errors', 'Error', 'Code'),
  message: text(xml, 'Errors', 'Error', 'Message'),
});

describe('EC2 networking from CloudFormation', () => {
  const t = useSandbox();
  const cfn = () => new CloudFormationClient(t.config);
  const ec2Call = (
    action: string,
    params: Record<string, string | number | boolean> = {},
  ) => queryRequest(t.sb, 'ec2', { ...V, Action: action, ...params });
  let ids: Record<string, string> = {};
  const saved = { ...process.env };
  let outdir = '';

  afterAll(() => {
    process.env = saved;
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  async function settled(name: string) {
    return waitFor(async () => {
      const s = (
        await cfn().send(new DescribeStacksCommand({ StackName: name }))
      ).Stacks![0];
      return s.StackStatus!.endsWith('_IN_PROGRESS') ? undefined : s;
    });
  }

  it('deploys a VPC stack', async () => {
    await cfn().send(
      new CreateStackCommand({
        StackName: 'net',
        TemplateBody: network,
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    expect((await settled('net')).StackStatus).toBe('CREATE_COMPLETE');
    const resources = await cfn().send(
      new DescribeStackResourcesCommand({ StackName: 'net' }),
    );
    ids = Object.fromEntries(
      resources.StackResources!.map(r => [
        r.LogicalResourceId!,
        r.PhysicalResourceId!,
      ]),
    );
    expect(ids.Vpc).toMatch(/^vpc-0[0-9a-f]{16}$/);
  });

  it('describes the VPC with its tags, beside the default VPC', async () => {
    const res = await ec2Call('DescribeVpcs', {
      'Filter.1.Name': 'tag:Name',
      'Filter.1.Value.1': 'lookup-vpc',
    });
    expect(res.status).toBe(200);
    expect(res.xml.name).toBe('DescribeVpcsResponse');
    const [vpc, ...more] = all(res.xml, 'vpcSet', 'item');
    expect(more).toHaveLength(0);
    expect(text(vpc, 'vpcId')).toBe(ids.Vpc);
    expect(text(vpc, 'cidrBlock')).toBe('10.20.0.0/16');
    expect(text(vpc, 'state')).toBe('available');
    expect(text(vpc, 'isDefault')).toBe('false');
    expect(text(vpc, 'ownerId')).toBe('000000000000');
    expect(
      text(vpc, 'cidrBlockAssociationSet', 'item', 'cidrBlockState', 'state'),
    ).toBe('associated');
    const stackId = (
      await cfn().send(new DescribeStacksCommand({ StackName: 'net' }))
    ).Stacks![0].StackId;
    expect(tagsOf(vpc)).toEqual({
      Name: 'lookup-vpc',
      team: 'platform',
      'aws:cloudformation:stack-name': 'net',
      'aws:cloudformation:stack-id': stackId,
      'aws:cloudformation:logical-id': 'Vpc',
    });

    const everything = await ec2Call('DescribeVpcs');
    const vpcs = all(everything.xml, 'vpcSet', 'item');
    expect(vpcs.map(v => text(v, 'isDefault'))).toEqual(['true', 'false']);
    expect(text(vpcs[0], 'cidrBlock')).toBe('172.31.0.0/16');
    // `is-default`, and `isDefault` as CDK's Vpc.fromLookup sends it.
    for (const name of ['is-default', 'isDefault']) {
      const found = await ec2Call('DescribeVpcs', {
        'Filter.1.Name': name,
        'Filter.1.Value.1': 'false',
      });
      expect(
        all(found.xml, 'vpcSet', 'item').map(v => text(v, 'vpcId')),
      ).toEqual([ids.Vpc]);
    }
    const byId = await ec2Call('DescribeVpcs', { 'VpcId.1': ids.Vpc });
    expect(all(byId.xml, 'vpcSet', 'item')).toHaveLength(1);
    const wildcard = await ec2Call('DescribeVpcs', {
      'Filter.1.Name': 'tag-key',
      'Filter.1.Value.1': 'aws:cloudformation:*',
      'Filter.2.Name': 'cidr',
      'Filter.2.Value.1': '10.20.0.0/16',
    });
    expect(all(wildcard.xml, 'vpcSet', 'item')).toHaveLength(1);
  });

  it('describes subnets with their zone, block, VPC and CDK tags', async () => {
    const res = await ec2Call('DescribeSubnets', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
    });
    const subnets = all(res.xml, 'subnetSet', 'item').map(s => ({
      id: text(s, 'subnetId'),
      az: text(s, 'availabilityZone'),
      azId: text(s, 'availabilityZoneId'),
      cidr: text(s, 'cidrBlock'),
      vpc: text(s, 'vpcId'),
      public: text(s, 'mapPublicIpOnLaunch'),
      free: text(s, 'availableIpAddressCount'),
      type: tagsOf(s)['aws-cdk:subnet-type'],
      logicalId: tagsOf(s)['aws:cloudformation:logical-id'],
    }));
    expect(subnets).toEqual([
      {
        id: ids.PublicA,
        az: 'us-east-1a',
        azId: 'use1-az1',
        cidr: '10.20.0.0/24',
        vpc: ids.Vpc,
        public: 'true',
        // 256 less the 5 AWS reserves and the NAT gateway's interface.
        free: '250',
        type: 'Public',
        logicalId: 'PublicA',
      },
      {
        id: ids.PublicB,
        az: 'us-east-1b',
        azId: 'use1-az2',
        cidr: '10.20.1.0/24',
        vpc: ids.Vpc,
        public: 'true',
        free: '251',
        type: 'Public',
        logicalId: 'PublicB',
      },
      {
        id: ids.PrivateA,
        az: 'us-east-1a',
        azId: 'use1-az1',
        cidr: '10.20.10.0/24',
        vpc: ids.Vpc,
        public: 'false',
        free: '251',
        type: 'Private',
        logicalId: 'PrivateA',
      },
      {
        id: ids.PrivateB,
        az: 'us-east-1b',
        azId: 'use1-az2',
        cidr: '10.20.11.0/24',
        vpc: ids.Vpc,
        public: 'false',
        free: '251',
        type: 'Private',
        logicalId: 'PrivateB',
      },
    ]);
    const first = all(res.xml, 'subnetSet', 'item')[0];
    expect(text(first, 'subnetArn')).toBe(
      `arn:aws:ec2:us-east-1:000000000000:subnet/${ids.PublicA}`,
    );
    expect(text(first, 'state')).toBe('available');
    expect(text(first, 'defaultForAz')).toBe('false');

    const filtered = await ec2Call('DescribeSubnets', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
      'Filter.2.Name': 'availability-zone',
      'Filter.2.Value.1': 'us-east-1b',
      'Filter.3.Name': 'tag:aws-cdk:subnet-type',
      'Filter.3.Value.1': 'Private',
      'Filter.3.Value.2': 'Isolated',
    });
    expect(
      all(filtered.xml, 'subnetSet', 'item').map(s => text(s, 'subnetId')),
    ).toEqual([ids.PrivateB]);
    const byIds = await ec2Call('DescribeSubnets', {
      'SubnetId.1': ids.PrivateA,
      'SubnetId.2': ids.PublicB,
      'Filter.1.Name': 'subnet-id',
      'Filter.1.Value.1': ids.PublicB,
    });
    expect(
      all(byIds.xml, 'subnetSet', 'item').map(s => text(s, 'subnetId')),
    ).toEqual([ids.PublicB]);
    // The default VPC has a default subnet per zone of us-east-1.
    const defaults = await ec2Call('DescribeSubnets', {
      'Filter.1.Name': 'default-for-az',
      'Filter.1.Value.1': 'true',
    });
    expect(
      all(defaults.xml, 'subnetSet', 'item').map(s => [
        text(s, 'availabilityZone'),
        text(s, 'cidrBlock'),
      ]),
    ).toEqual(
      [...'abcdef'].map((z, i) => [`us-east-1${z}`, `172.31.${i * 16}.0/20`]),
    );
  });

  it('pages with MaxResults and NextToken', async () => {
    // Six default subnets and four of the stack's.
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await ec2Call('DescribeSubnets', {
        MaxResults: 5,
        ...(token ? { NextToken: token } : {}),
      });
      expect(res.status).toBe(200);
      seen.push(
        ...all(res.xml, 'subnetSet', 'item').map(s => text(s, 'subnetId')),
      );
      const next = all(res.xml, 'nextToken');
      token = next.length ? next[0].text : undefined;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(10);
    const tooSmall = await ec2Call('DescribeVpcs', { MaxResults: 2 });
    expect(tooSmall.status).toBe(400);
    expect(errorOf(tooSmall.xml)).toEqual({
      code: 'InvalidParameterValue',
      message:
        'Value ( 2 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
    });
    const tooBig = await ec2Call('DescribeRouteTables', { MaxResults: 101 });
    expect(errorOf(tooBig.xml).code).toBe('InvalidParameterValue');
    const foreign = await ec2Call('DescribeSubnets', {
      MaxResults: 5,
      NextToken: Buffer.from('{"o":1,"f":"x"}').toString('base64'),
    });
    expect(errorOf(foreign.xml).code).toBe('InvalidNextToken');
  });

  it('describes route tables: associations, routes to the gateways, the main table', async () => {
    const res = await ec2Call('DescribeRouteTables', {
      'Filter.1.Name': 'association.subnet-id',
      'Filter.1.Value.1': ids.PrivateB,
    });
    const [table, ...more] = all(res.xml, 'routeTableSet', 'item');
    expect(more).toHaveLength(0);
    expect(text(table, 'routeTableId')).toBe(ids.PrivateRoutes);
    expect(text(table, 'vpcId')).toBe(ids.Vpc);
    expect(
      all(table, 'associationSet', 'item').map(a => [
        text(a, 'subnetId'),
        text(a, 'main'),
        text(a, 'routeTableId'),
        text(a, 'associationState', 'state'),
      ]),
    ).toEqual([
      [ids.PrivateA, 'false', ids.PrivateRoutes, 'associated'],
      [ids.PrivateB, 'false', ids.PrivateRoutes, 'associated'],
    ]);
    expect(
      all(table, 'associationSet', 'item').map(a =>
        text(a, 'routeTableAssociationId'),
      ),
    ).toEqual([ids.PrivateAAssoc, ids.PrivateBAssoc]);
    expect(
      all(table, 'routeSet', 'item').map(r => ({
        destination: text(r, 'destinationCidrBlock'),
        target: all(r, 'gatewayId')[0]?.text ?? text(r, 'natGatewayId'),
        origin: text(r, 'origin'),
        state: text(r, 'state'),
      })),
    ).toEqual([
      {
        destination: '10.20.0.0/16',
        target: 'local',
        origin: 'CreateRouteTable',
        state: 'active',
      },
      {
        destination: '0.0.0.0/0',
        target: ids.Nat,
        origin: 'CreateRoute',
        state: 'active',
      },
    ]);
    const igwRoutes = await ec2Call('DescribeRouteTables', {
      'Filter.1.Name': 'route.gateway-id',
      'Filter.1.Value.1': 'igw-*',
    });
    expect(
      all(igwRoutes.xml, 'routeTableSet', 'item').map(r =>
        text(r, 'routeTableId'),
      ),
    ).toContain(ids.PublicRoutes);
    // Every VPC has a main route table with only the local route.
    const main = await ec2Call('DescribeRouteTables', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
      'Filter.2.Name': 'association.main',
      'Filter.2.Value.1': 'true',
    });
    const mains = all(main.xml, 'routeTableSet', 'item');
    expect(mains).toHaveLength(1);
    expect(
      all(mains[0], 'routeSet', 'item').map(r => text(r, 'gatewayId')),
    ).toEqual(['local']);
    const byId = await ec2Call('DescribeRouteTables', {
      'RouteTableId.1': ids.PublicRoutes,
    });
    expect(all(byId.xml, 'routeTableSet', 'item')).toHaveLength(1);
  });

  it('describes the NAT gateway with its Elastic IP', async () => {
    const res = await ec2Call('DescribeNatGateways', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
      'Filter.2.Name': 'state',
      'Filter.2.Value.1': 'available',
    });
    const [nat, ...more] = all(res.xml, 'natGatewaySet', 'item');
    expect(more).toHaveLength(0);
    expect(text(nat, 'natGatewayId')).toBe(ids.Nat);
    expect(text(nat, 'subnetId')).toBe(ids.PublicA);
    expect(text(nat, 'connectivityType')).toBe('public');
    expect(text(nat, 'createTime')).toBe('2026-01-15T12:00:00.000Z');
    const address = one(nat, 'natGatewayAddressSet');
    expect(text(address, 'publicIp')).toBe(ids.NatIp);
    expect(text(address, 'allocationId')).toMatch(/^eipalloc-0[0-9a-f]{16}$/);
    expect(text(address, 'privateIp')).toMatch(/^10\.20\.0\.\d+$/);
    expect(text(address, 'networkInterfaceId')).toMatch(/^eni-0[0-9a-f]{16}$/);
    expect(tagsOf(nat).Name).toBe('lookup-nat');
    const byId = await ec2Call('DescribeNatGateways', {
      'NatGatewayId.1': ids.Nat,
    });
    expect(all(byId.xml, 'natGatewaySet', 'item')).toHaveLength(1);
  });

  it('describes security groups with merged rules and the VPC default group', async () => {
    const res = await ec2Call('DescribeSecurityGroups', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
      'Filter.2.Name': 'group-name',
      'Filter.2.Value.1': 'lookup-web',
    });
    const [web, ...more] = all(res.xml, 'securityGroupInfo', 'item');
    expect(more).toHaveLength(0);
    expect(text(web, 'groupId')).toBe(ids.WebSg);
    expect(text(web, 'groupName')).toBe('lookup-web');
    expect(text(web, 'groupDescription')).toBe('web & api');
    expect(text(web, 'securityGroupArn')).toBe(
      `arn:aws:ec2:us-east-1:000000000000:security-group/${ids.WebSg}`,
    );
    const [http, ...others] = all(web, 'ipPermissions', 'item');
    expect(others).toHaveLength(0);
    expect([
      text(http, 'ipProtocol'),
      text(http, 'fromPort'),
      text(http, 'toPort'),
    ]).toEqual(['tcp', '80', '80']);
    expect(
      all(http, 'ipRanges', 'item').map(r => [
        text(r, 'cidrIp'),
        all(r, 'description')[0]?.text,
      ]),
    ).toEqual([
      ['0.0.0.0/0', undefined],
      ['10.0.0.0/8', 'internal'],
    ]);
    const [egress] = all(web, 'ipPermissionsEgress', 'item');
    expect(text(egress, 'ipProtocol')).toBe('-1');
    expect(all(egress, 'fromPort')).toHaveLength(0);
    expect(text(egress, 'ipv6Ranges', 'item', 'cidrIpv6')).toBe('::/0');

    const app = await ec2Call('DescribeSecurityGroups', {
      'GroupId.1': ids.AppSg,
    });
    const [group] = all(app.xml, 'securityGroupInfo', 'item');
    // A generated name, and the rule the separate ingress resource added.
    expect(text(group, 'groupName')).toMatch(/^net-AppSg-[0-9A-F]{12}$/);
    expect(
      all(group, 'ipPermissions', 'item').map(p => [
        text(p, 'fromPort'),
        text(p, 'groups', 'item', 'groupId'),
        text(p, 'groups', 'item', 'userId'),
      ]),
    ).toEqual([['5000', ids.WebSg, '000000000000']]);
    // No egress rules in the template: EC2's default "all traffic out".
    expect(
      all(group, 'ipPermissionsEgress', 'item').map(p => [
        text(p, 'ipProtocol'),
        text(p, 'ipRanges', 'item', 'cidrIp'),
      ]),
    ).toEqual([['-1', '0.0.0.0/0']]);
    const referencing = await ec2Call('DescribeSecurityGroups', {
      'Filter.1.Name': 'ip-permission.group-id',
      'Filter.1.Value.1': ids.WebSg,
    });
    expect(
      all(referencing.xml, 'securityGroupInfo', 'item').map(g =>
        text(g, 'groupId'),
      ),
    ).toEqual([ids.AppSg]);

    const defaults = await ec2Call('DescribeSecurityGroups', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
      'Filter.2.Name': 'group-name',
      'Filter.2.Value.1': 'default',
    });
    const [dflt] = all(defaults.xml, 'securityGroupInfo', 'item');
    // The id Fn::GetAtt Vpc.DefaultSecurityGroup returned.
    const stack = (
      await cfn().send(new DescribeStacksCommand({ StackName: 'net' }))
    ).Stacks![0];
    expect(text(dflt, 'groupId')).toBe(stack.Outputs![0].OutputValue);
    expect(text(dflt, 'groupDescription')).toBe('default VPC security group');
    // Names alone are looked up in the default VPC.
    const byName = await ec2Call('DescribeSecurityGroups', {
      'GroupName.1': 'default',
    });
    const [inDefault] = all(byName.xml, 'securityGroupInfo', 'item');
    expect(text(inDefault, 'vpcId')).not.toBe(ids.Vpc);
  });

  it("answers EC2's errors for unknown ids, filters and DryRun", async () => {
    const cases: [string, Record<string, string>, string, string][] = [
      [
        'DescribeVpcs',
        { 'VpcId.1': 'vpc-0123456789abcdef0' },
        'InvalidVpcID.NotFound',
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      ],
      [
        'DescribeSubnets',
        { 'SubnetId.1': ids.PublicA, 'SubnetId.2': 'subnet-0bad' },
        'InvalidSubnetID.NotFound',
        "The subnet ID 'subnet-0bad' does not exist",
      ],
      [
        'DescribeSecurityGroups',
        { 'GroupId.1': 'sg-0bad' },
        'InvalidGroup.NotFound',
        "The security group 'sg-0bad' does not exist",
      ],
      [
        'DescribeRouteTables',
        { 'RouteTableId.1': 'rtb-0bad' },
        'InvalidRouteTableID.NotFound',
        "The routeTable ID 'rtb-0bad' does not exist",
      ],
      [
        'DescribeNatGateways',
        { 'NatGatewayId.1': 'nat-0bad' },
        'NatGatewayNotFound',
        'NAT gateway nat-0bad was not found',
      ],
      [
        'DescribeSubnets',
        { 'Filter.1.Name': 'colour', 'Filter.1.Value.1': 'blue' },
        'InvalidParameterValue',
        "The filter 'colour' is invalid",
      ],
    ];
    for (const [action, params, code, message] of cases) {
      const res = await ec2Call(action, params);
      expect(res.status).toBe(400);
      expect(res.xml.name).toBe('Response');
      expect(errorOf(res.xml)).toEqual({ code, message });
    }
    for (const action of [
      'DescribeVpcs',
      'DescribeSubnets',
      'DescribeSecurityGroups',
      'DescribeRouteTables',
      'DescribeNatGateways',
    ]) {
      const res = await ec2Call(action, { DryRun: true });
      expect([action, res.status, errorOf(res.xml).code]).toEqual([
        action,
        412,
        'DryRunOperation',
      ]);
    }
  });

  it("serves toolkit-lib's VPC and security group lookups", async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: t.sb.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      CDK_VALIDATION: 'false',
    });
    delete process.env.AWS_PROFILE;
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-vpc-lookup-'));
    const ioHost = {
      notify: async () => {},
      requestResponse: async <T>(msg: { defaultResponse: T }) =>
        msg.defaultResponse,
    } as unknown as IIoHost;
    const toolkit = new Toolkit({ ioHost });
    const cx = await toolkit.fromAssemblyBuilder(
      async ({ context }) => {
        const app = new cdk.App({ outdir, context });
        const stack = new cdk.Stack(app, 'Lookup', {
          env: { account: '000000000000', region: 'us-east-1' },
          synthesizer: new cdk.LegacyStackSynthesizer(),
        });
        const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', {
          tags: { Name: 'lookup-vpc' },
        });
        const sg = ec2.SecurityGroup.fromLookupByName(
          stack,
          'Sg',
          'lookup-web',
          vpc,
        );
        const join = (xs: string[]) => cdk.Fn.join(',', xs);
        const out = (id: string, value: string) =>
          new cdk.CfnOutput(stack, id, { value });
        out('VpcId', vpc.vpcId);
        out('Azs', join(vpc.availabilityZones));
        out('Public', join(vpc.publicSubnets.map(s => s.subnetId)));
        out('Private', join(vpc.privateSubnets.map(s => s.subnetId)));
        out(
          'PrivateTables',
          join(vpc.privateSubnets.map(s => s.routeTable.routeTableId)),
        );
        out('SgId', sg.securityGroupId);
        out('SgAllOut', String(sg.allowAllOutbound));
        return app.synth();
      },
      { clobberEnv: false, resolveDefaultEnvironment: false } as any,
    );
    const assembly = await toolkit.synth(cx);
    const outputs =
      assembly.cloudAssembly.getStackByName('Lookup').template.Outputs;
    const value = (id: string) => outputs[id].Value;
    expect(value('VpcId')).toBe(ids.Vpc);
    expect(value('Azs')).toBe('us-east-1a,us-east-1b');
    expect(value('Public')).toBe(`${ids.PublicA},${ids.PublicB}`);
    expect(value('Private')).toBe(`${ids.PrivateA},${ids.PrivateB}`);
    expect(value('PrivateTables')).toBe(
      `${ids.PrivateRoutes},${ids.PrivateRoutes}`,
    );
    expect(value('SgId')).toBe(ids.WebSg);
    expect(value('SgAllOut')).toBe('true');
  });

  it('removes what the stack created when it is deleted', async () => {
    await cfn().send(new DeleteStackCommand({ StackName: 'net' }));
    await waitFor(async () => {
      const res = await ec2Call('DescribeVpcs', { 'VpcId.1': ids.Vpc });
      return res.status === 400 ? res : undefined;
    });
    const subnets = await ec2Call('DescribeSubnets', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': ids.Vpc,
    });
    expect(all(subnets.xml, 'subnetSet', 'item')).toHaveLength(0);
    // A deleted NAT gateway stays visible as `deleted` for a while.
    const nat = await ec2Call('DescribeNatGateways', {
      'NatGatewayId.1': ids.Nat,
    });
    expect(text(nat.xml, 'natGatewaySet', 'item', 'state')).toBe('deleted');
    expect(text(nat.xml, 'natGatewaySet', 'item', 'deleteTime')).toBe(
      '2026-01-15T12:00:00.000Z',
    );
    t.sb.advance(3601);
    const later = await ec2Call('DescribeNatGateways', {
      'NatGatewayId.1': ids.Nat,
    });
    expect(errorOf(later.xml).code).toBe('NatGatewayNotFound');
    // Only the default VPC is left.
    const vpcs = await ec2Call('DescribeVpcs');
    expect(
      all(vpcs.xml, 'vpcSet', 'item').map(v => text(v, 'isDefault')),
    ).toEqual(['true']);
  });

  it('fails resources as EC2 refuses them, and keeps a VPC with a retained subnet', async () => {
    const vpcWith = (subnetProps: object, extra: object = {}) =>
      JSON.stringify({
        Resources: {
          Vpc: {
            Type: 'AWS::EC2::VPC',
            Properties: { CidrBlock: '10.30.0.0/16' },
          },
          Subnet: {
            Type: 'AWS::EC2::Subnet',
            Properties: { VpcId: { Ref: 'Vpc' }, ...subnetProps },
            ...extra,
          },
        },
      });
    const failures: [object, string][] = [
      [{ CidrBlock: '10.99.0.0/24' }, "The CIDR '10.99.0.0/24' is invalid."],
      [
        { CidrBlock: '10.30.0.0/24', AvailabilityZone: 'us-east-1z' },
        'Value (us-east-1z) for parameter availabilityZone is invalid.',
      ],
    ];
    for (const [i, [props, message]] of failures.entries()) {
      await cfn().send(
        new CreateStackCommand({
          StackName: `bad-${i}`,
          TemplateBody: vpcWith(props),
        }),
      );
      const stack = await settled(`bad-${i}`);
      expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
      const events = (
        await cfn().send(
          new DescribeStackEventsCommand({ StackName: `bad-${i}` }),
        )
      ).StackEvents!;
      expect(
        events.find(e => e.ResourceStatus === 'CREATE_FAILED')!
          .ResourceStatusReason,
      ).toContain(message);
    }
    // A retained subnet keeps its VPC: deleting the VPC fails, as on EC2.
    await cfn().send(
      new CreateStackCommand({
        StackName: 'kept',
        TemplateBody: vpcWith(
          { CidrBlock: '10.30.0.0/24' },
          { DeletionPolicy: 'Retain' },
        ),
      }),
    );
    expect((await settled('kept')).StackStatus).toBe('CREATE_COMPLETE');
    await cfn().send(new DeleteStackCommand({ StackName: 'kept' }));
    const deleted = await settled('kept');
    expect(deleted.StackStatus).toBe('DELETE_FAILED');
    const events = (
      await cfn().send(new DescribeStackEventsCommand({ StackName: 'kept' }))
    ).StackEvents!;
    expect(
      events.find(
        e =>
          e.ResourceStatus === 'DELETE_FAILED' && e.LogicalResourceId === 'Vpc',
      )!.ResourceStatusReason,
    ).toContain('has dependencies and cannot be deleted.');
  });
});

function one(node: XmlNode, name: string): XmlNode {
  const [item, ...more] = all(node, name, 'item');
  if (!item || more.length) throw new Error(`${name}: not one item`);
  return item;
}
