/*
 * AWS's published request rates, per account and region, for the operations
 * the sandbox serves. Each group is one token bucket: `capacity` tokens
 * (the burst), refilled at `refillPerSecond` (the sustained rate). Where AWS
 * publishes a plain TPS quota ("N transactions per second") the bucket holds
 * N and refills N a second, so at most N calls pass in any one second.
 *
 * The numbers sit beside the page they come from. Groups marked
 * `published: false` have no number AWS publishes (see the README); they use
 * a deliberately low value, so a design that bursts against them is caught
 * rather than excused. Services missing here (STS, Price List) are never
 * throttled.
 */

export interface RateGroup {
  /** Bucket name, as the counters report it. */
  group: string;
  operations: string[];
  capacity: number;
  refillPerSecond: number;
  /** Regions whose TPS quota differs: bucket and refill both that number. */
  byRegion?: Record<string, number>;
  /** False where AWS publishes no number and the value is the sandbox's. */
  published: boolean;
}

const ECS_THROTTLING =
  'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html';
const CW_QUOTAS =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html';
const LOGS_QUOTAS =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html';
const SSM_QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/ssm.html';
const EC2_THROTTLING =
  'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html';

/** Where the numbers of each service come from (also in GET /_sandbox/throttling). */
export const SOURCES: Record<string, string> = {
  ecs: ECS_THROTTLING,
  cloudwatch: CW_QUOTAS,
  logs: LOGS_QUOTAS,
  ssm: SSM_QUOTAS,
  ec2: EC2_THROTTLING,
  cloudformation: 'not published (sandbox values)',
  'application-autoscaling': 'not published (sandbox values)',
};

const tps = (
  group: string,
  operations: string[],
  rate: number,
  byRegion?: Record<string, number>,
): RateGroup => ({
  group,
  operations,
  capacity: rate,
  refillPerSecond: rate,
  byRegion,
  published: true,
});

const bucket = (
  group: string,
  operations: string[],
  capacity: number,
  refillPerSecond: number,
): RateGroup => ({
  group,
  operations,
  capacity,
  refillPerSecond,
  published: true,
});

// No published rate: a small burst and a slow refill (see the file comment).
const unpublishedRead = (group: string, operations: string[]): RateGroup => ({
  group,
  operations,
  capacity: 10,
  refillPerSecond: 5,
  published: false,
});
const unpublishedWrite = (group: string, operations: string[]): RateGroup => ({
  group,
  operations,
  capacity: 5,
  refillPerSecond: 1,
  published: false,
});

export const RATES: Record<string, RateGroup[]> = {
  // ECS_THROTTLING, table "Request Token Bucket Sizes and Refill Rates":
  // bucket maximum capacity / bucket refill rate per action category.
  ecs: [
    // Cluster modify actions: 20 / 1
    bucket(
      'Cluster modify actions',
      [
        'CreateCluster',
        'DeleteCluster',
        'PutClusterCapacityProviders',
        'UpdateCluster',
        'UpdateClusterSettings',
      ],
      20,
      1,
    ),
    // Cluster read actions: 50 / 20
    bucket(
      'Cluster read actions',
      ['DescribeClusters', 'ListClusters'],
      50,
      20,
    ),
    // Task definition modify actions: 20 / 1
    bucket(
      'Task definition modify actions',
      ['DeregisterTaskDefinition', 'RegisterTaskDefinition'],
      20,
      1,
    ),
    // Task definition read actions: 50 / 20
    bucket(
      'Task definition read actions',
      [
        'DescribeTaskDefinition',
        'ListTaskDefinitions',
        'ListTaskDefinitionFamilies',
      ],
      50,
      20,
    ),
    // Tag modify actions: 20 / 10
    bucket('Tag modify actions', ['TagResource', 'UntagResource'], 20, 10),
    // Tag read actions: 50 / 20
    bucket('Tag read actions', ['ListTagsForResource'], 50, 20),
    // Cluster resource modify actions: 100 / 40
    bucket(
      'Cluster resource modify actions',
      ['RunTask', 'StartTask', 'StopTask', 'ExecuteCommand'],
      100,
      40,
    ),
    // Cluster resource read actions: 100 / 20
    bucket(
      'Cluster resource read actions',
      [
        'DescribeContainerInstances',
        'DescribeTasks',
        'ListAttributes',
        'ListContainerInstances',
        'ListTasks',
      ],
      100,
      20,
    ),
    // Service modify actions: 50 / 5
    bucket(
      'Service modify actions',
      ['CreateService', 'DeleteService', 'UpdateService'],
      50,
      5,
    ),
    // Service read actions: 100 / 20
    bucket(
      'Service read actions',
      ['DescribeServices', 'ListServices'],
      100,
      20,
    ),
  ],

  // CW_QUOTAS: one TPS quota per operation, per Region.
  cloudwatch: [
    tps('GetMetricData', ['GetMetricData'], 50), // 50 TPS without Metrics Insights queries
    tps('GetMetricStatistics', ['GetMetricStatistics'], 400), // 400 TPS
    tps('ListMetrics', ['ListMetrics'], 25), // 25 TPS
    tps('PutMetricData', ['PutMetricData'], 500), // 500 TPS
    tps('DescribeAlarms', ['DescribeAlarms'], 9), // 9 TPS
    tps('PutMetricAlarm', ['PutMetricAlarm'], 3), // 3 TPS
    tps('DeleteAlarms', ['DeleteAlarms'], 3), // 3 TPS each (DeleteAlarms, SetAlarmState, ...)
    tps('SetAlarmState', ['SetAlarmState'], 3), // 3 TPS
  ],

  // LOGS_QUOTAS: "<Operation> throttle limit in transactions per second".
  logs: [
    // us-east-1 25; ap-northeast-3, ap-southeast-3, ca-west-1, eu-central-1,
    // il-central-1 5; each other Region 10
    tps('FilterLogEvents', ['FilterLogEvents'], 10, {
      'us-east-1': 25,
      'ap-northeast-3': 5,
      'ap-southeast-3': 5,
      'ca-west-1': 5,
      'eu-central-1': 5,
      'il-central-1': 5,
    }),
    // us-west-2, ap-northeast-3, ap-southeast-3, ca-west-1, eu-central-1,
    // eu-west-1, il-central-1 10; eu-west-3 30; each other Region 25
    tps('GetLogEvents', ['GetLogEvents'], 25, {
      'us-west-2': 10,
      'ap-northeast-3': 10,
      'ap-southeast-3': 10,
      'ca-west-1': 10,
      'eu-central-1': 10,
      'eu-west-1': 10,
      'il-central-1': 10,
      'eu-west-3': 30,
    }),
    tps('DescribeLogGroups', ['DescribeLogGroups'], 10), // 10 per second
    tps('DescribeLogStreams', ['DescribeLogStreams'], 25), // 25 per second
    tps('CreateLogGroup', ['CreateLogGroup'], 10), // 10 per second
    tps('CreateLogStream', ['CreateLogStream'], 50), // 50 per second
    tps('DeleteLogGroup', ['DeleteLogGroup'], 10), // 10 per second
    tps('PutLogEvents', ['PutLogEvents'], 5000), // 5,000 per second
    tps('PutRetentionPolicy', ['PutRetentionPolicy'], 5), // 5 per second
  ],

  ssm: [
    // SSM_QUOTAS, Parameter Store "Max throughput (transactions per second)":
    // default throughput 40, shared by GetParameter, GetParameters and
    // GetParametersByPath.
    tps(
      'GetParameter*',
      ['GetParameter', 'GetParameters', 'GetParametersByPath'],
      40,
    ),
    unpublishedRead('DescribeParameters', ['DescribeParameters']),
    unpublishedRead('GetParameterHistory', ['GetParameterHistory']),
    unpublishedRead('ListTagsForResource', ['ListTagsForResource']),
    unpublishedWrite('PutParameter', ['PutParameter']),
    unpublishedWrite('DeleteParameter*', [
      'DeleteParameter',
      'DeleteParameters',
    ]),
  ],

  // EC2_THROTTLING, "Request token bucket sizes and refill rates". The
  // smaller bucket for unfiltered, unpaginated DescribeSecurityGroups (50 /
  // 10) is not told apart: every Describe call draws on the larger one.
  ec2: [
    // Non-mutating actions: 100 / 20
    bucket(
      'Non-mutating actions',
      [
        'DescribeAvailabilityZones',
        'DescribeVpcs',
        'DescribeSubnets',
        'DescribeSecurityGroups',
        'DescribeRouteTables',
        'DescribeNatGateways',
        'DescribeVpnGateways',
      ],
      100,
      20,
    ),
    // Resource-intensive actions: 50 / 5
    bucket(
      'Resource-intensive actions',
      ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress'],
      50,
      5,
    ),
  ],

  cloudformation: [
    unpublishedRead('Read actions', [
      'DescribeStacks',
      'DescribeStackEvents',
      'DescribeStackResource',
      'DescribeStackResources',
      'ListStackResources',
      'ListStacks',
      'GetTemplate',
      'GetTemplateSummary',
      'ValidateTemplate',
      'ListExports',
      'DescribeChangeSet',
      'ListChangeSets',
      'DescribeStackDriftDetectionStatus',
      'DescribeStackResourceDrifts',
    ]),
    unpublishedWrite('Modify actions', [
      'CreateStack',
      'UpdateStack',
      'CancelUpdateStack',
      'DeleteStack',
      'CreateChangeSet',
      'ExecuteChangeSet',
      'DeleteChangeSet',
      'UpdateTerminationProtection',
      'DetectStackDrift',
      'DetectStackResourceDrift',
    ]),
  ],

  'application-autoscaling': [
    unpublishedRead('Read actions', [
      'DescribeScalableTargets',
      'DescribeScalingPolicies',
    ]),
    unpublishedWrite('Modify actions', [
      'RegisterScalableTarget',
      'DeregisterScalableTarget',
      'PutScalingPolicy',
      'DeleteScalingPolicy',
    ]),
  ],
};

/** The bucket an operation draws on, with its rates in `region`. */
export function rateFor(
  service: string,
  operation: string,
  region: string,
): RateGroup | undefined {
  const group = RATES[service]?.find(g => g.operations.includes(operation));
  if (!group) return undefined;
  const regional = group.byRegion?.[region];
  return regional === undefined
    ? group
    : { ...group, capacity: regional, refillPerSecond: regional };
}
