/*
 * The sandbox's whole world as one JSON-serialisable object, so it can be
 * persisted with a single atomic write and reloaded on start. Times are epoch
 * milliseconds of the simulated clock.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The account of every caller that has not assumed a role elsewhere. */
export const ACCOUNT_ID = '000000000000';
export const userArn = (account: string) =>
  `arn:aws:iam::${account}:user/sandbox`;
export const DEFAULT_USER_ARN = userArn(ACCOUNT_ID);

export interface SsmParameterVersion {
  Name: string;
  Type: 'String' | 'StringList' | 'SecureString';
  Value: string;
  Version: number;
  LastModifiedDate: number;
  LastModifiedUser: string;
  Description?: string;
  KeyId?: string;
  AllowedPattern?: string;
  Tier: string;
  DataType: string;
  Labels: string[];
}

export interface SsmParameter extends SsmParameterVersion {
  history: SsmParameterVersion[];
  Tags: { Key: string; Value: string }[];
}

export interface EcsCluster {
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  settings: { name: string; value: string }[];
  tags: { key: string; value: string }[];
  capacityProviders: string[];
}

export interface EcsTaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  containerDefinitions: any[];
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  volumes: any[];
  placementConstraints: any[];
  runtimePlatform?: any;
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  tags: { key: string; value: string }[];
}

export interface EcsDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  createdAt: number;
  updatedAt: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  /** Set when this deployment is the circuit breaker's rollback. */
  isRollback?: boolean;
}

export interface EcsServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface EcsService {
  serviceName: string;
  serviceArn: string;
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  launchType?: string;
  platformVersion?: string;
  createdAt: number;
  createdBy: string;
  deploymentConfiguration: any;
  networkConfiguration?: any;
  loadBalancers: any[];
  serviceRegistries: any[];
  healthCheckGracePeriodSeconds?: number;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  propagateTags?: string;
  schedulingStrategy: string;
  deploymentController: { type: string };
  capacityProviderStrategy?: any[];
  tags: { key: string; value: string }[];
  deployments: EcsDeployment[];
  events: EcsServiceEvent[];
  /** Consecutive task failures, for restart back-off. */
  consecutiveFailures: number;
  nextLaunchAt: number;
  /** Running-count history for the RunningTaskCount metric: [time, count]. */
  runningHistory: [number, number][];
  deletedAt?: number;
  /** Task definition of the last deployment that completed (rollback target). */
  stableTaskDefinition?: string;
  stableDeploymentId?: string;
  /** Whether the last reconcile found the service steady (for events). */
  steady?: boolean;
}

export interface EcsContainer {
  containerArn: string;
  name: string;
  image: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  cpu?: string;
  memory?: string;
  essential: boolean;
  logGroup?: string;
  logStreamPrefix?: string;
  logRegion?: string;
}

export interface EcsTask {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  clusterName: string;
  taskDefinitionArn: string;
  serviceName?: string;
  deploymentId?: string;
  group?: string;
  startedBy?: string;
  lastStatus: string;
  desiredStatus: string;
  launchType: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  privateIp: string;
  subnetId?: string;
  createdAt: number;
  /** Planned transition times (simulated ms). */
  pendingAt: number;
  runningAt: number;
  /** When the task will stop by itself (crash loop / failure), if planned. */
  failAt?: number;
  failReason?: string;
  /** When a stopping task reaches STOPPED. */
  stopDueAt?: number;
  /** Whether the stop counts as a failure for the deployment. */
  failed?: boolean;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  containers: EcsContainer[];
  version: number;
  /** Last simulated minute for which a log line was written. */
  lastLogAt?: number;
}

export interface LogEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

export interface LogStream {
  logStreamName: string;
  creationTime: number;
  events: LogEvent[];
  storedBytes: number;
}

export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
  streams: Record<string, LogStream>;
}

export interface CustomMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  /** [timestamp ms, sum, sample count, minimum, maximum] */
  points: [number, number, number, number, number][];
  unit?: string;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A metric alarm on one metric with a static threshold, as PutMetricAlarm stores it. */
export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: number;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: AlarmStateValue;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: number;
  StateTransitionedTimestamp: number;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: { Name: string; Value: string }[];
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  /** The last evaluation tick applied (simulated ms). */
  evaluatedAt: number;
}

export interface ScalableTarget {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: number;
  SuspendedState: {
    DynamicScalingInSuspended: boolean;
    DynamicScalingOutSuspended: boolean;
    ScheduledScalingSuspended: boolean;
  };
  ScalableTargetARN: string;
}

export interface ScalingPolicy {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: string;
  TargetTrackingScalingPolicyConfiguration?: any;
  StepScalingPolicyConfiguration?: any;
  Alarms: { AlarmName: string; AlarmARN: string }[];
  CreationTime: number;
}

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

export interface StackResource {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  Timestamp: number;
  /** Resolved properties as last applied. */
  properties: Record<string, any>;
  attributes: Record<string, any>;
  /** The raw template definition last applied, for diffs. */
  definition: Record<string, any>;
}

export interface StackParameter {
  ParameterKey: string;
  ParameterValue: string;
  ResolvedValue?: string;
}

export interface ChangeSet {
  ChangeSetId: string;
  ChangeSetName: string;
  StackId: string;
  StackName: string;
  Description?: string;
  ChangeSetType: 'CREATE' | 'UPDATE' | 'IMPORT';
  Status: string;
  StatusReason?: string;
  ExecutionStatus: string;
  CreationTime: number;
  templateBody: string;
  parameters: StackParameter[];
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  notificationARNs: string[];
  roleARN?: string;
  changes: any[];
  disableRollback?: boolean;
}

export interface Stack {
  StackId: string;
  StackName: string;
  Description?: string;
  StackStatus: string;
  StackStatusReason?: string;
  CreationTime: number;
  LastUpdatedTime?: number;
  DeletionTime?: number;
  DisableRollback: boolean;
  Capabilities: string[];
  Tags: { Key: string; Value: string }[];
  NotificationARNs: string[];
  RoleARN?: string;
  EnableTerminationProtection: boolean;
  Parameters: StackParameter[];
  Outputs: {
    OutputKey: string;
    OutputValue: string;
    Description?: string;
    ExportName?: string;
  }[];
  templateBody: string;
  /** Template of the last successful deployment, restored by rollbacks. */
  resources: Record<string, StackResource>;
  events: StackEvent[];
  changeSets: Record<string, ChangeSet>;
  /** Set while an operation is running, to refuse concurrent ones. */
  busy?: boolean;
  /** Drift detections (cloudformation/drift.ts); absent until the first. */
  drift?: StackDriftState;
}

export interface PropertyDifference {
  PropertyPath: string;
  ExpectedValue: string;
  ActualValue: string;
  DifferenceType: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

/** What one drift check found for one resource. */
export interface StackResourceDriftResult {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  /** JSON; absent for DELETED. */
  ExpectedProperties?: string;
  ActualProperties?: string;
  PropertyDifferences: PropertyDifference[];
  StackResourceDriftStatus: 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'UNKNOWN';
  DriftStatusReason?: string;
  Timestamp: number;
}

export interface StackDriftDetection {
  StackDriftDetectionId: string;
  /** When it was initiated. */
  Timestamp: number;
  /** Simulated time its results become visible. */
  completesAt: number;
  results: StackResourceDriftResult[];
}

export interface StackDriftState {
  /** The latest few DetectStackDrift runs, oldest first. */
  detections: StackDriftDetection[];
  /** DetectStackResourceDrift results by logical id (visible at once). */
  resourceChecks: Record<string, StackResourceDriftResult>;
}

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

export interface RegionState {
  ssm: { parameters: Record<string, SsmParameter> };
  ecs: {
    clusters: Record<string, EcsCluster>;
    taskDefinitions: Record<string, EcsTaskDefinition[]>;
    services: Record<string, EcsService>;
    tasks: Record<string, EcsTask>;
  };
  logs: { groups: Record<string, LogGroup> };
  cloudwatch: {
    custom: Record<string, CustomMetric>;
    /** By alarm name. Absent in state files saved before alarms existed. */
    alarms?: Record<string, MetricAlarm>;
  };
  autoscaling: {
    targets: Record<string, ScalableTarget>;
    policies: Record<string, ScalingPolicy>;
  };
  cloudformation: {
    stacks: Stack[];
    exports: Record<string, { stackId: string; value: string }>;
  };
  /** Absent in state files saved before EC2 networking existed. */
  ec2?: Ec2State;
}

export interface StsSession {
  accessKeyId: string;
  account: string;
  arn: string;
  userId: string;
  expiration: number;
}

export interface Fault {
  id: string;
  type: 'throttle' | 'latency' | 'error' | 'crashloop' | 'resourceFailure';
  service?: string;
  operation?: string;
  rate?: number;
  ms?: number;
  status?: number;
  code?: string;
  message?: string;
  cluster?: string;
  /** crashloop: only tasks of this task definition (ARN or family:revision). */
  taskDefinition?: string;
  logicalIdPrefix?: string;
  resourceType?: string;
  stackName?: string;
  createdAt: number;
}

export interface SandboxState {
  version: 2;
  seed: number;
  randomPosition: number;
  clockMs: number;
  /** When the world began; metrics before this are synthesised history. */
  createdAt: number;
  sts: { sessions: Record<string, StsSession> };
  /** Account id, then region name: each account sees only its own. */
  accounts: Record<string, Record<string, RegionState>>;
  faults: Fault[];
}

/** One account's region, for the parts that walk all of them. */
export interface RegionEntry {
  account: string;
  region: string;
  state: RegionState;
}

export function regionEntries(state: SandboxState): RegionEntry[] {
  return Object.entries(state.accounts).flatMap(([account, regions]) =>
    Object.entries(regions).map(([region, r]) => ({
      account,
      region,
      state: r,
    })),
  );
}

export function emptyRegion(): RegionState {
  return {
    ssm: { parameters: {} },
    ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {} },
    logs: { groups: {} },
    cloudwatch: { custom: {}, alarms: {} },
    autoscaling: { targets: {}, policies: {} },
    cloudformation: { stacks: [], exports: {} },
  };
}

export function emptyState(seed: number, now: number): SandboxState {
  return {
    version: 2,
    seed,
    randomPosition: 0,
    clockMs: now,
    createdAt: now,
    sts: { sessions: {} },
    accounts: {},
    faults: [],
  };
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null;

export function loadState(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = JSON.parse(text);
  // Version 1 files predate accounts: everything in them was made by the
  // default caller, so their regions become the default account's and a
  // saved world survives the upgrade instead of starting empty.
  if (parsed?.version === 1 && isObject(parsed.regions)) {
    const { regions, ...rest } = parsed;
    return { ...rest, version: 2, accounts: { [ACCOUNT_ID]: regions } };
  }
  if (parsed?.version !== 2 || !isObject(parsed.accounts)) {
    throw new Error(`${file} is not an AWS sandbox state file`);
  }
  return parsed as SandboxState;
}

/**
 * Saves after changes, at most every `delayMs`: write to a temporary file in
 * the same directory, then rename over the target, so a crash never leaves a
 * half-written state file.
 */
export class StateWriter {
  private timer?: NodeJS.Timeout;
  private counter = 0;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SandboxState,
    private readonly delayMs = 200,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (e) {
        process.stderr.write(`aws-sandbox: could not save state: ${e}\n`);
      }
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const dir = path.dirname(path.resolve(this.file));
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(
      dir,
      `.${path.basename(this.file)}.${process.pid}.${this.counter++}.tmp`,
    );
    fs.writeFileSync(tmp, JSON.stringify(this.snapshot()));
    fs.renameSync(tmp, this.file);
  }
}
