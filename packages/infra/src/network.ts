import { Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * Hands out the seed's exact subnet CIDRs instead of CDK's default
 * "carve the /16 into equal blocks" allocation: public subnets get
 * 10.x.1.0/24, 10.x.2.0/24, 10.x.3.0/24 and private ones 10.x.101.0/24 to
 * 10.x.103.0/24, one per availability zone. `ec2.Vpc` asks for subnets group
 * by group (in `subnetConfiguration` order) and, inside a group, AZ by AZ,
 * which is the order this class relies on.
 */
export class SeedSubnetAddresses implements ec2.IIpAddresses {
  private readonly secondOctet: number;

  constructor(private readonly vpcCidr: string) {
    const match = /^10\.(\d{1,3})\.0\.0\/16$/.exec(vpcCidr);
    if (!match || Number(match[1]) > 255) {
      throw new Error(
        `vpcCidr "${vpcCidr}" must be a 10.x.0.0/16 block, as in the seed`,
      );
    }
    this.secondOctet = Number(match[1]);
  }

  allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    const perGroup = new Map<string, number>();
    const allocatedSubnets = input.requestedSubnets.map(request => {
      const group = request.configuration.name;
      const index = perGroup.get(group) ?? 0;
      perGroup.set(group, index + 1);
      const base = seedSubnetBase(request.configuration.subnetType);
      if (index >= 3) {
        throw new Error(
          `the seed defines 3 ${group} subnets; ${index + 1} were requested`,
        );
      }
      return { cidr: `10.${this.secondOctet}.${base + index}.0/24` };
    });
    return { allocatedSubnets };
  }
}

function seedSubnetBase(type: ec2.SubnetType): number {
  switch (type) {
    case ec2.SubnetType.PUBLIC:
      return 1;
    case ec2.SubnetType.PRIVATE_WITH_EGRESS:
      return 101;
    default:
      throw new Error(`the seed has no ${type} subnets`);
  }
}

/** The seed's subnet CIDRs for a 10.x.0.0/16, for documentation and tests. */
export function seedSubnetCidrs(vpcCidr: string): {
  public: string[];
  private: string[];
} {
  const octet = vpcCidr.split('.')[1];
  return {
    public: [1, 2, 3].map(i => `10.${octet}.${i}.0/24`),
    private: [101, 102, 103].map(i => `10.${octet}.${i}.0/24`),
  };
}

/**
 * Props of {@link NetworkConstruct}.
 *
 * @public
 */
export interface NetworkConstructProps {
  /** `${project}-${environment}`, the prefix of every Name tag. */
  namePrefix: string;
  /** The VPC's name. */
  vpcName: string;
  /** The VPC's `10.x.0.0/16` block. */
  vpcCidr: string;
  /** Exactly three zones, e.g. us-east-1a, us-east-1b, us-east-1c. */
  availabilityZones: string[];
}

/**
 * The seed's network module: a /16 VPC over three AZs with a public and a
 * private subnet in each, an internet gateway, one NAT gateway per AZ (so a
 * zone outage does not cut the other zones' egress) and the routes between
 * them.
 *
 * @public
 */
export class NetworkConstruct extends Construct {
  /** The VPC. */
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkConstructProps) {
    super(scope, id);
    if (props.availabilityZones.length !== 3) {
      throw new Error('the seed spreads every environment over exactly 3 AZs');
    }
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: props.vpcName,
      ipAddresses: new SeedSubnetAddresses(props.vpcCidr),
      availabilityZones: props.availabilityZones,
      natGateways: 3,
      createInternetGateway: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        {
          name: 'private',
          subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: 24,
        },
      ],
      // true would add a Lambda-backed custom resource, i.e. a file asset
      // that only a bootstrapped account can host; the legacy synthesizer
      // must deploy without one.
      restrictDefaultSecurityGroup: false,
    });

    // The seed pins its subnets to `${region}a/b/c`; that is the point of
    // the layout (one public and one private /24 per named zone).
    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'The seed places each subnet in a named AZ (a, b, c)',
    });

    // Name tags in the seed's `${project}-${environment}-${resource}` style,
    // so the console shows the same names as the Terraform version did.
    this.vpc.publicSubnets.forEach((subnet, i) => {
      Tags.of(subnet).add('Name', `${props.namePrefix}-public-subnet-${i + 1}`);
      // The NAT gateway and its Elastic IP live under the public subnet and
      // would otherwise inherit the subnet's Name.
      for (const child of ['NATGateway', 'EIP']) {
        const node = subnet.node.tryFindChild(child);
        if (node) {
          Tags.of(node).add(
            'Name',
            `${props.namePrefix}-${child === 'EIP' ? 'nat-eip' : 'nat'}-${
              i + 1
            }`,
          );
        }
      }
    });
    this.vpc.privateSubnets.forEach((subnet, i) => {
      Tags.of(subnet).add(
        'Name',
        `${props.namePrefix}-private-subnet-${i + 1}`,
      );
    });
    const igw = this.vpc.node.tryFindChild('IGW');
    if (igw) {
      Tags.of(igw).add('Name', `${props.namePrefix}-igw`);
    }
  }
}
