/*
 * The sandbox's whole world as one JSON-serialisable object, so it can be
 * persisted with a single atomic write and reloaded on start (stateFile.ts).
 * Times are epoch milliseconds of the simulated clock. ECS's, CloudFormation's
 * and EC2's records are in stateEcs.ts, stateCloudFormation.ts and stateEc2.ts.
 */
import type {
  EcsCluster,
  EcsService,
  EcsTask,
  EcsTaskDefinition,
} from './stateEcs';
import type { Stack } from './stateCloudFormation';
import type { Ec2State } from './stateEc2';

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
