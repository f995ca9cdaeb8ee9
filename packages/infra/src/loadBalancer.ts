import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EnvironmentResourceNames } from '@envplane/plugin-aws-environments-common';
import { Construct } from 'constructs';
import { SEED_SERVICE } from './service';

/**
 * Props of {@link LoadBalancerConstruct}.
 *
 * @public
 */
export interface LoadBalancerConstructProps {
  /** The environment's resource names. */
  names: EnvironmentResourceNames;
  /** The VPC whose public subnets the load balancer goes in. */
  vpc: ec2.IVpc;
  /** The service the load balancer forwards to. */
  service: ecs.FargateService;
  /** The service's container that receives the traffic. */
  containerName: string;
}

/**
 * The seed's "Application Load Balancer (Future)": an internet-facing ALB in
 * the public subnets, HTTP 80 forwarded to the tasks' port 5000 (IP targets,
 * as awsvpc tasks require). Attaching the service opens 5000 on the tasks'
 * group to the ALB's group only.
 *
 * @public
 */
export class LoadBalancerConstruct extends Construct {
  /** The Application Load Balancer. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The load balancer's security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The target group of the service's tasks. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: LoadBalancerConstructProps) {
    super(scope, id);
    const { names } = props;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      securityGroupName: `${names.stackName}-alb-sg`,
      description: `Load balancer of ${names.stackName}`,
      // Egress is added towards the tasks' group only, by the attachment.
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(80),
      'HTTP from the internet',
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: names.albName,
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: SEED_SERVICE.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: '/', healthyHttpCodes: '200-399' },
    });
    this.targetGroup.addTarget(
      props.service.loadBalancerTarget({
        containerName: props.containerName,
        containerPort: SEED_SERVICE.containerPort,
      }),
    );

    this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      // The default action is set explicitly; `open: true` would add a
      // second 0.0.0.0/0 rule identical to the one above.
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });
  }
}
