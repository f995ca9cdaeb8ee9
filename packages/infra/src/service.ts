import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { EnvironmentResourceNames } from '@envplane/plugin-aws-environments-common';
import { Construct } from 'constructs';

/** The seed's task and scaling figures ("Auto Scaling Configuration"). */
export const SEED_SERVICE = {
  containerPort: 5000,
  cpu: 256,
  memoryMiB: 512,
  minCapacity: 1,
  maxCapacity: 10,
  targetCpuPercent: 70,
  targetMemoryPercent: 80,
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

/**
 * Props of {@link ServiceConstruct}.
 *
 * @public
 */
export interface ServiceConstructProps {
  /** The environment's resource names. */
  names: EnvironmentResourceNames;
  /** The project name, for the parameter path and tags. */
  project: string;
  /** The environment name, for the parameter path and tags. */
  environment: string;
  /** The VPC whose private subnets the tasks run in. */
  vpc: ec2.IVpc;
  /** The image URI; usually a CloudFormation parameter's token. */
  image: string;
  /** The desired task count; usually a CloudFormation parameter's token. */
  desiredCount: number;
  /** The fewest tasks autoscaling keeps. */
  minCapacity: number;
  /** The most tasks autoscaling starts. */
  maxCapacity: number;
  /**
   * When a load balancer fronts the service, the tasks' security group does
   * not open 80/443 to the internet; the load balancer construct opens the
   * container port to its own group instead.
   */
  behindLoadBalancer: boolean;
}

/**
 * The seed's ECS module: cluster, tasks' security group, task definition
 * (Fargate, awsvpc), service in the private subnets, IAM roles, log group and
 * target-tracking autoscaling.
 *
 * @public
 */
export class ServiceConstruct extends Construct {
  /** The ECS cluster. */
  readonly cluster: ecs.Cluster;
  /** The Fargate service. */
  readonly service: ecs.FargateService;
  /** The service's task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The tasks' security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The containers' log group. */
  readonly logGroup: logs.LogGroup;
  /** The application's IAM role. */
  readonly taskRole: iam.Role;
  /** The IAM role ECS starts the tasks with. */
  readonly executionRole: iam.Role;
  /** `arn:…:parameter/${project}/${environment}` (the path itself). */
  readonly parameterPathArn: string;

  constructor(scope: Construct, id: string, props: ServiceConstructProps) {
    super(scope, id);
    const { names } = props;
    const stack = Stack.of(this);
    // SSM parameter ARNs drop the path's leading slash after "parameter".
    const pathWithoutSlashes = names.parameterPath.replace(/^\/|\/$/g, '');
    this.parameterPathArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: pathWithoutSlashes,
    });
    const parametersUnderPathArn = `${this.parameterPathArn}/*`;
    // Built from the name rather than the log group's Arn attribute so that
    // the stream ARN can be derived (the attribute ends in ":*").
    const logGroupArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${names.logGroupName}`;
    const logStreamsArn = `${logGroupArn}:log-stream:*`;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: names.clusterName,
      vpc: props.vpc,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'TasksSecurityGroup', {
      vpc: props.vpc,
      securityGroupName: names.securityGroupName,
      description: `ECS tasks of ${props.project} ${props.environment}`,
      allowAllOutbound: true,
    });
    if (!props.behindLoadBalancer) {
      // The seed's documented rules. Nothing reaches the tasks through them:
      // the tasks sit in private subnets and listen on 5000. Kept so the
      // environment matches the seed; the load balancer option replaces them.
      this.securityGroup.addIngressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(80),
        'HTTP (seed rule)',
      );
      this.securityGroup.addIngressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS (seed rule)',
      );
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: names.logGroupName,
      retention: SEED_SERVICE.logRetention,
      // Environments are disposable (destroy action); a retained log group
      // would make the next create of the same name fail.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Task role: what the application itself may do. The seed lists SSM read,
    // logs write and ECR pull; ECR pull happens before the container starts
    // and is the execution role's job, so it is left out here.
    this.taskRole = new iam.Role(this, 'TaskRole', {
      roleName: names.taskRoleName,
      description: `Application role of ${props.project} ${props.environment}`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: [parametersUnderPathArn],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListOwnParameters',
        actions: ['ssm:GetParametersByPath'],
        resources: [this.parameterPathArn, parametersUnderPathArn],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroupArn}:*`, logStreamsArn],
      }),
    );

    // Execution role: what ECS needs to start the task (pull the image, ship
    // logs, inject secrets).
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: names.executionRoleName,
      description: `ECS execution role of ${props.project} ${props.environment}`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrAuth',
        // GetAuthorizationToken has no resource-level permissions.
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrPull',
        // The image may live in any repository (a stack parameter), so the
        // pull actions cannot be narrowed to one repository ARN.
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchGetImage',
        ],
        resources: ['*'],
      }),
    );
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ],
        resources: [`${logGroupArn}:*`, logStreamsArn],
      }),
    );
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InjectOwnParameters',
        actions: ['ssm:GetParameters', 'ssm:GetParameter'],
        resources: [parametersUnderPathArn],
      }),
    );

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: names.taskFamily,
      cpu: SEED_SERVICE.cpu,
      memoryLimitMiB: SEED_SERVICE.memoryMiB,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
    });

    // The SecureString is written with the SSM API, never by CloudFormation
    // (which cannot create SecureStrings and would put the value in the
    // template). The container gets it through ECS `secrets`, i.e. only the
    // parameter ARN is in the template.
    const appSecret = ssm.StringParameter.fromSecureStringParameterAttributes(
      this,
      'AppSecret',
      { parameterName: names.appSecretParameterName },
    );

    this.taskDefinition.addContainer('App', {
      containerName: names.containerName,
      image: ecs.ContainerImage.fromRegistry(props.image),
      essential: true,
      portMappings: [
        {
          containerPort: SEED_SERVICE.containerPort,
          protocol: ecs.Protocol.TCP,
        },
      ],
      environment: {
        PROJECT: props.project,
        ENVIRONMENT: props.environment,
        PORT: String(SEED_SERVICE.containerPort),
        PARAMETER_PATH: names.parameterPath,
      },
      secrets: {
        APP_SECRET: ecs.Secret.fromSsmParameter(appSecret),
      },
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'app',
      }),
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: names.serviceName,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: props.behindLoadBalancer
        ? Duration.seconds(60)
        : undefined,
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
    });
    scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: SEED_SERVICE.targetCpuPercent,
    });
    scaling.scaleOnMemoryUtilization('MemoryScaling', {
      targetUtilizationPercent: SEED_SERVICE.targetMemoryPercent,
    });
  }
}
