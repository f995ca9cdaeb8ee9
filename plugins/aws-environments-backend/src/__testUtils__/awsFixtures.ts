import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  Task,
} from '@aws-sdk/client-ecs';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { StatusOptions, readStatusOptions } from '../statusOptions';
import { DefaultAwsEnvironmentsService } from '../service/AwsEnvironmentsService';
import { EnvironmentStatusCollector } from '../service/EnvironmentStatusCollector';
import { capturingLogger, mapCache } from './testDoubles';

export { capturingLogger, mapCache } from './testDoubles';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const PROJECT = 'shop';
/** Must never appear in a response body or a log line. */
export const CANARY = 'CANARY-s3cr3t-value-9f8e7d';

export const environmentsConfig = {
  awsEnvironments: {
    environments: [
      ['test', 'Test', '10.3.0.0/16'],
      ['qa', 'QA', '10.1.0.0/16'],
      ['staging', 'Staging', '10.2.0.0/16'],
      ['prod', 'Production', '10.0.0.0/16'],
    ].map(([name, title, vpcCidr]) => ({
      name,
      title,
      accountId: ACCOUNT,
      region: REGION,
      vpcCidr,
      promotion: { trigger: 'manual', reviewRequired: false },
    })),
  },
};

export const awsMocks = {
  ecs: mockClient(ECSClient),
  ssm: mockClient(SSMClient),
  cloudwatch: mockClient(CloudWatchClient),
  logs: mockClient(CloudWatchLogsClient),
  autoscaling: mockClient(ApplicationAutoScalingClient),
  cloudformation: mockClient(CloudFormationClient),
};

export function resetAwsMocks() {
  for (const mock of Object.values(awsMocks)) {
    mock.reset();
  }
}

/** Total SDK calls per command name across all clients. */
export function callCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mock of Object.values(awsMocks)) {
    for (const call of mock.calls()) {
      const name = (call.args[0] as object).constructor.name.replace(
        /Command$/,
        '',
      );
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

export function totalCalls(): number {
  return Object.values(callCounts()).reduce((a, b) => a + b, 0);
}

export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const now = () => Date.now();

export function taskArn(cluster: string, i: number) {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${cluster}/${i
    .toString(16)
    .padStart(32, '0')}`;
}

export interface SeedOptions {
  environment?: string;
  running?: number;
  stopped?: number;
  /** Stopped tasks exit with code 1 (a crash loop) instead of being replaced. */
  crashing?: boolean;
  withLoadBalancer?: boolean;
}

/**
 * Answers every read of one environment like a healthy service would, with
 * fakes that honour pagination and batching so call counts are realistic.
 */
export function seedEnvironment(options: SeedOptions = {}) {
  const env = options.environment ?? 'test';
  const names = environmentResourceNames(PROJECT, env);
  const cluster = names.clusterName;
  const running = options.running ?? 2;
  const stopped = options.stopped ?? 0;
  const taskDefinitionArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${names.taskFamily}:7`;

  const tasks = new Map<string, Task>();
  const arnsByStatus: Record<string, string[]> = { RUNNING: [], STOPPED: [] };
  // How stopped tasks ended: replaced by a deployment, or crashed.
  const ending = options.crashing
    ? {
        stopCode: 'EssentialContainerExited' as const,
        stoppedReason: 'Essential container in task exited',
        exitCode: 1,
      }
    : {
        stopCode: 'ServiceSchedulerInitiated' as const,
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
        exitCode: 143,
      };
  for (let i = 0; i < running + stopped; i++) {
    const arn = taskArn(cluster, i);
    const isRunning = i < running;
    const stop = isRunning ? undefined : ending;
    tasks.set(arn, {
      taskArn: arn,
      taskDefinitionArn,
      lastStatus: isRunning ? 'RUNNING' : 'STOPPED',
      desiredStatus: isRunning ? 'RUNNING' : 'STOPPED',
      healthStatus: isRunning ? 'HEALTHY' : 'UNKNOWN',
      availabilityZone: `${REGION}${'abc'[i % 3]}`,
      startedAt: new Date(now() - 3600_000),
      stoppedAt: isRunning ? undefined : new Date(now() - (i + 1) * 60_000),
      stopCode: stop?.stopCode,
      stoppedReason: stop?.stoppedReason,
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          lastStatus: isRunning ? 'RUNNING' : 'STOPPED',
          exitCode: stop?.exitCode,
        },
      ],
    });
    arnsByStatus[isRunning ? 'RUNNING' : 'STOPPED'].push(arn);
  }

  awsMocks.ecs.on(DescribeServicesCommand, { cluster }).resolves({
    services: [
      {
        serviceName: names.serviceName,
        clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
        status: 'ACTIVE',
        desiredCount: running,
        runningCount: running,
        pendingCount: 0,
        launchType: 'FARGATE',
        taskDefinition: taskDefinitionArn,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
        deployments: [
          {
            id: 'ecs-svc/1',
            status: 'PRIMARY',
            taskDefinition: taskDefinitionArn,
            desiredCount: running,
            runningCount: running,
            pendingCount: 0,
            failedTasks: 0,
            rolloutState: 'COMPLETED',
            createdAt: new Date(now() - 7200_000),
            updatedAt: new Date(now() - 7000_000),
          },
        ],
        events: Array.from({ length: 30 }, (_, i) => ({
          id: `event-${i}`,
          createdAt: new Date(now() - i * 600_000),
          message: `(service ${names.serviceName}) has reached a steady state.`,
        })),
      },
    ],
    failures: [],
  });
  awsMocks.ecs.on(ListTasksCommand, { cluster }).callsFake(input => {
    const all = arnsByStatus[input.desiredStatus ?? 'RUNNING'];
    const start = Number(input.nextToken ?? 0);
    const end = start + (input.maxResults ?? 100);
    return {
      taskArns: all.slice(start, end),
      nextToken: end < all.length ? String(end) : undefined,
    };
  });
  awsMocks.ecs.on(DescribeTasksCommand, { cluster }).callsFake(input => {
    if ((input.tasks ?? []).length > 100) {
      throw awsError('InvalidParameterException', 'at most 100 tasks');
    }
    return { tasks: (input.tasks ?? []).map((arn: string) => tasks.get(arn)) };
  });
  awsMocks.ecs
    .on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn })
    .resolves({
      taskDefinition: {
        taskDefinitionArn,
        containerDefinitions: [
          { name: 'app', image: 'nginx:1.27', essential: true },
        ],
      },
    });

  awsMocks.autoscaling
    .on(DescribeScalableTargetsCommand, {
      ResourceIds: [`service/${cluster}/${names.serviceName}`],
    })
    .resolves({
      ScalableTargets: [
        {
          ServiceNamespace: 'ecs',
          ResourceId: `service/${cluster}/${names.serviceName}`,
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 1,
          MaxCapacity: 4,
          RoleARN: 'arn:aws:iam::000000000000:role/x',
          CreationTime: new Date(),
        },
      ],
    });

  const parameterPath = names.parameterPath.replace(/\/$/, '');
  awsMocks.ssm
    .on(DescribeParametersCommand, {
      ParameterFilters: [
        { Key: 'Path', Option: 'Recursive', Values: [parameterPath] },
      ],
    })
    .resolves({
      Parameters: [
        {
          Name: names.appSecretParameterName,
          Type: 'SecureString',
          KeyId: 'alias/aws/ssm',
          Version: 3,
          Tier: 'Standard',
          LastModifiedDate: new Date(now() - 86_400_000),
          LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/deployer`,
          // People paste values into descriptions; it must not leak.
          Description: `rotated; value is ${CANARY}`,
          DataType: 'text',
        },
        {
          Name: `${names.parameterPath}log-level`,
          Type: 'String',
          Version: 1,
          Tier: 'Standard',
          LastModifiedDate: new Date(now() - 86_400_000),
          LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/deployer`,
        },
      ],
    });
  // If anything ever asked for values, it would get the canary.
  const parameter = {
    Name: names.appSecretParameterName,
    Type: 'SecureString' as const,
    Value: CANARY,
    Version: 3,
  };
  awsMocks.ssm.on(GetParameterCommand).resolves({ Parameter: parameter });
  awsMocks.ssm.on(GetParametersCommand).resolves({ Parameters: [parameter] });
  awsMocks.ssm
    .on(GetParametersByPathCommand)
    .resolves({ Parameters: [parameter] });

  const lbArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${names.albName}/50dc6c495c0c9188`;
  awsMocks.cloudformation
    .on(DescribeStackResourcesCommand, { StackName: names.stackName })
    .resolves({
      StackResources: [
        {
          LogicalResourceId: 'Cluster',
          ResourceType: 'AWS::ECS::Cluster',
          PhysicalResourceId: cluster,
          ResourceStatus: 'CREATE_COMPLETE',
          Timestamp: new Date(),
        },
        ...(options.withLoadBalancer
          ? [
              {
                LogicalResourceId: 'Alb',
                ResourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
                PhysicalResourceId: lbArn,
                ResourceStatus: 'CREATE_COMPLETE' as const,
                Timestamp: new Date(),
              },
            ]
          : []),
      ],
    });

  awsMocks.cloudwatch.on(GetMetricDataCommand).callsFake(input => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map(
      (q: { Id: string }) => ({
        Id: q.Id,
        Label: q.Id,
        StatusCode: 'Complete',
        Timestamps: [new Date(now() - 120_000), new Date(now() - 60_000)],
        Values: [12, 14],
      }),
    ),
  }));

  awsMocks.logs
    .on(FilterLogEventsCommand, { logGroupName: names.logGroupName })
    .callsFake(input => ({
      events: Array.from(
        { length: Math.min(input.limit ?? 50, 60) },
        (_, i) => ({
          eventId: `${input.startTime}-${i}`,
          timestamp: (input.startTime ?? 0) + i * 1000,
          message: `GET /health 200 (${i})`,
          logStreamName: `ecs/app/${i % 3}`,
        }),
      ),
    }));

  return { names, cluster, lbArn };
}

export const testCredentialsManager = {
  async getCredentialProvider() {
    return {
      sdkCredentialProvider: async () => ({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'test-secret-key',
      }),
    };
  },
};

type MapCache = ReturnType<typeof mapCache>;
type CapturingLogger = ReturnType<typeof capturingLogger>;

export function createTestService<
  C extends CacheService = MapCache,
  L extends LoggerService = CapturingLogger,
>(
  overrides: {
    options?: Partial<StatusOptions>;
    cache?: C;
    logger?: L;
  } = {},
) {
  const config = new ConfigReader(environmentsConfig);
  const options = { ...readStatusOptions(config), ...overrides.options };
  const cache = overrides.cache ?? (mapCache() as CacheService as C);
  const logger = overrides.logger ?? (capturingLogger() as LoggerService as L);
  const collector = new EnvironmentStatusCollector({
    clients: new AwsClientFactory({
      credentialsManager: testCredentialsManager,
    }),
    cache,
    logger,
    options,
  });
  const service = new DefaultAwsEnvironmentsService({
    environments: readAwsEnvironments(config),
    options,
    cache,
    collector,
  });
  return { service, collector, cache, logger, options };
}
