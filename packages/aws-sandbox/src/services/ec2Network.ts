/*
 * The region's EC2 networking as plain records: VPCs, subnets, security
 * groups, route tables, NAT gateways and Elastic IPs. CloudFormation's EC2
 * resources create and delete them, the EC2 API describes them and the ECS
 * simulator places Fargate tasks in their subnets. Every region also has the
 * default VPC an AWS account comes with (172.31.0.0/16, a default subnet per
 * zone, the `default` security group, a main route table to an internet
 * gateway); its ids derive from the seed and region, without drawing from the
 * random stream, so adding it changed no other id.
 */
import type { RegionState } from '../state';
import type { Ec2State, Ec2Subnet, Ec2Tag, Ec2Vpc } from '../stateEc2';
import type { World } from '../world';
import { ACCOUNT_ID } from '../state';
import { hashString, mix } from '../simulation/random';

const DIRECTIONS: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** `us-east-1` → `use1`, the prefix of AWS's zone ids (`use1-az1`). */
function zoneIdPrefix(region: string): string {
  const [geo, direction, number] = region.split('-');
  return `${geo}${DIRECTIONS[direction] ?? direction?.[0] ?? ''}${
    number ?? ''
  }`;
}

/** The region's zones: us-east-1a..f in us-east-1 (as AWS has), <region>a..c elsewhere. */
export function availabilityZones(region: string) {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((letter, i) => ({
    ZoneName: `${region}${letter}`,
    ZoneId: `${zoneIdPrefix(region)}-az${i + 1}`,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: region,
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
  }));
}

/** The zone id of a zone name (`us-east-1b` → `use1-az2`), if the region has it. */
export function zoneId(region: string, zoneName: string): string | undefined {
  return availabilityZones(region).find(z => z.ZoneName === zoneName)?.ZoneId;
}

/** 16 hex digits that depend only on the inputs. */
function derivedHex(...parts: (string | number)[]): string {
  const values = parts.map(p => (typeof p === 'number' ? p : hashString(p)));
  const a = mix(...values, 1)
    .toString(16)
    .padStart(8, '0');
  const b = mix(...values, 2)
    .toString(16)
    .padStart(8, '0');
  return a + b;
}

/** An EC2-style id (`rtb-0123456789abcdef0`) derived from its inputs. */
export function derivedId(prefix: string, ...parts: (string | number)[]) {
  return `${prefix}-0${derivedHex(prefix, ...parts)}`;
}

// ---- addresses --------------------------------------------------------------

export function parseCidr(cidr: string): { base: number; bits: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
  if (!m || m.slice(1, 5).some(o => Number(o) > 255) || Number(m[5]) > 32) {
    throw new Error(`not an IPv4 CIDR block: ${cidr}`);
  }
  const base =
    ((Number(m[1]) << 24) |
      (Number(m[2]) << 16) |
      (Number(m[3]) << 8) |
      Number(m[4])) >>>
    0;
  return { base, bits: Number(m[5]) };
}

export function isCidr(value: unknown): value is string {
  try {
    parseCidr(String(value));
    return true;
  } catch {
    return false;
  }
}

const ipText = (n: number) =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** How many addresses a block has. */
export function blockSize(cidr: string): number {
  return 2 ** (32 - parseCidr(cidr).bits);
}

/** The `offset`th address of a block. */
export function addressIn(cidr: string, offset: number): string {
  const { base } = parseCidr(cidr);
  return ipText((base + offset) >>> 0);
}

/** Whether `inner` lies inside `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (a.bits < b.bits) return false;
  const mask = b.bits === 0 ? 0 : (~0 << (32 - b.bits)) >>> 0;
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

/** A random host address of a subnet, avoiding the five AWS reserves. */
export function randomHost(cidr: string, pick: (size: number) => number) {
  const size = blockSize(cidr);
  return addressIn(cidr, 4 + pick(Math.max(1, size - 5)));
}

// ---- the region's state -----------------------------------------------------

/** What the EC2 helpers need of a request, a simulator step or a resource. */
export interface Ec2Context {
  sandbox: World;
  region: string;
  regionState: RegionState;
  caller?: { account: string };
}

const DEFAULT_CIDR = '172.31.0.0/16';

/**
 * The default VPC an account has in every region, as first seen. Its ids
 * differ between accounts, as on AWS; the default account's stay those it
 * had before accounts existed.
 */
function defaultNetwork(seed: number, region: string, account: string) {
  const owner = account === ACCOUNT_ID ? [] : [account];
  const id = (prefix: string, label = '') =>
    derivedId(prefix, seed, region, 'default-vpc', ...owner, label);
  const vpcId = id('vpc');
  const igw = id('igw');
  const vpc: Ec2Vpc = {
    VpcId: vpcId,
    CidrBlock: DEFAULT_CIDR,
    CidrBlockAssociationId: id('vpc-cidr-assoc'),
    InstanceTenancy: 'default',
    DhcpOptionsId: id('dopt'),
    IsDefault: true,
    EnableDnsSupport: true,
    EnableDnsHostnames: true,
    DefaultSecurityGroupId: id('sg'),
    MainRouteTableId: id('rtb'),
    Tags: [],
  };
  const state: Ec2State = {
    vpcs: {},
    subnets: {},
    securityGroups: {},
    routeTables: {},
    natGateways: {},
    addresses: {},
  };
  addVpc(state, vpc, id('rtbassoc'));
  state.routeTables[vpc.MainRouteTableId].Routes.push({
    DestinationCidrBlock: '0.0.0.0/0',
    GatewayId: igw,
    Origin: 'CreateRoute',
  });
  availabilityZones(region).forEach((zone, i) => {
    const subnet: Ec2Subnet = {
      SubnetId: id('subnet', zone.ZoneName),
      VpcId: vpcId,
      CidrBlock: `172.31.${i * 16}.0/20`,
      AvailabilityZone: zone.ZoneName,
      AvailabilityZoneId: zone.ZoneId,
      MapPublicIpOnLaunch: true,
      DefaultForAz: true,
      Tags: [],
    };
    state.subnets[subnet.SubnetId] = subnet;
  });
  return state;
}

/**
 * Records a VPC with the `default` security group (all traffic from its own
 * members in, everything out) and the main route table (the local route)
 * that EC2 creates with every VPC.
 */
export function addVpc(
  state: Ec2State,
  vpc: Ec2Vpc,
  mainAssociationId: string,
): void {
  state.vpcs[vpc.VpcId] = vpc;
  state.securityGroups[vpc.DefaultSecurityGroupId] = {
    GroupId: vpc.DefaultSecurityGroupId,
    GroupName: 'default',
    Description: 'default VPC security group',
    VpcId: vpc.VpcId,
    rules: [
      {
        source: 'inline',
        egress: false,
        IpProtocol: '-1',
        GroupId: vpc.DefaultSecurityGroupId,
      },
      { source: 'inline', egress: true, IpProtocol: '-1', CidrIp: '0.0.0.0/0' },
    ],
    Tags: [],
  };
  state.routeTables[vpc.MainRouteTableId] = {
    RouteTableId: vpc.MainRouteTableId,
    VpcId: vpc.VpcId,
    Routes: [
      {
        DestinationCidrBlock: vpc.CidrBlock,
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
      },
    ],
    Associations: [{ RouteTableAssociationId: mainAssociationId, Main: true }],
    Tags: [],
  };
}

/** The region's EC2 state; the default VPC appears on first use. */
export function ec2State(ctx: Ec2Context): Ec2State {
  if (!ctx.regionState.ec2) {
    ctx.regionState.ec2 = defaultNetwork(
      ctx.sandbox.state.seed,
      ctx.region,
      ctx.caller?.account ?? ACCOUNT_ID,
    );
  }
  return ctx.regionState.ec2;
}

export function defaultVpc(state: Ec2State): Ec2Vpc | undefined {
  return Object.values(state.vpcs).find(v => v.IsDefault);
}

/** The tags CloudFormation puts on what it creates, after the template's own. */
export function stackTags(
  own: unknown,
  stack: {
    stackName: string;
    stackId: string;
    logicalId: string;
    stackTags?: Ec2Tag[];
  },
): Ec2Tag[] {
  const tags: Ec2Tag[] = [];
  const seen = new Set<string>();
  const add = (Key: string, Value: string) => {
    if (seen.has(Key)) return;
    seen.add(Key);
    tags.push({ Key, Value });
  };
  if (Array.isArray(own)) {
    for (const t of own) {
      if (t && typeof t.Key === 'string') add(t.Key, String(t.Value ?? ''));
    }
  }
  for (const t of stack.stackTags ?? []) add(t.Key, t.Value);
  add('aws:cloudformation:stack-name', stack.stackName);
  add('aws:cloudformation:stack-id', stack.stackId);
  add('aws:cloudformation:logical-id', stack.logicalId);
  return tags;
}

// ---- task placement ---------------------------------------------------------

export interface Placement {
  subnetId?: string;
  availabilityZone: string;
  /** The subnet's block when the sandbox knows the subnet. */
  cidr?: string;
}

/**
 * Where tasks in `subnetIds` can go: each subnet with its zone. Subnets the
 * sandbox does not know (services created through the API with made-up ids)
 * get the region's zones a, b, c in the order they are listed.
 */
export function placements(ctx: Ec2Context, subnetIds: string[]): Placement[] {
  const zones = availabilityZones(ctx.region).slice(0, 3);
  const known = ec2State(ctx).subnets;
  let unknown = 0;
  return [...new Set(subnetIds)].map(id => {
    const s = known[id];
    if (s) {
      return {
        subnetId: id,
        availabilityZone: s.AvailabilityZone,
        cidr: s.CidrBlock,
      };
    }
    return {
      subnetId: id,
      availabilityZone: zones[unknown++ % zones.length].ZoneName,
    };
  });
}
