import {
  EnvironmentStatus,
  EnvironmentStatusResponse,
  METRIC_IDS,
  StatusOverviewRow,
  summarizeStatus,
} from '@envplane/plugin-aws-environments-common';

const minute = 60_000;
const base = Date.parse('2026-11-25T12:00:00Z');

function series(id: string, label: string, unit: string, values: number[]) {
  return {
    id,
    label,
    unit,
    period: 60,
    points: values.map((value, i) => ({
      timestamp: new Date(base + i * minute).toISOString(),
      value,
    })),
  };
}

/** A healthy environment with two running tasks, as the backend returns it. */
export function environment(
  name: string,
  order: number,
  overrides: Partial<EnvironmentStatus> = {},
): EnvironmentStatus {
  const cluster = `devops-app-${name}-ecs-cluster`;
  const service = `devops-app-${name}-service`;
  return {
    name,
    title: name.toUpperCase(),
    accountId: '000000000000',
    region: 'us-east-1',
    order,
    health: 'healthy',
    findings: [],
    service: {
      serviceName: service,
      clusterName: cluster,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinitionRevision: 3,
      image: 'public.ecr.aws/docker/library/python:3.12-slim',
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'PRIMARY',
          taskDefinitionRevision: 3,
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'COMPLETED',
        },
      ],
      circuitBreaker: { enable: true, rollback: true },
      events: [
        {
          id: 'e1',
          createdAt: new Date(base).toISOString(),
          message: `(service ${service}) has reached a steady state.`,
        },
      ],
      scaling: { minCapacity: 1, maxCapacity: 10 },
    },
    tasks: [
      {
        taskArn: `arn:aws:ecs:us-east-1:000000000000:task/${cluster}/aaaa1111`,
        taskId: 'aaaa1111',
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        containers: [{ name: 'app', image: 'python:3.12-slim' }],
        availabilityZone: 'us-east-1a',
        startedAt: new Date(base).toISOString(),
        taskDefinitionRevision: 3,
      },
    ],
    parameters: [
      {
        name: `/devops-app/${name}/app-secret`,
        type: 'SecureString',
        version: 1,
        lastModifiedDate: new Date(base).toISOString(),
        lastModifiedUser: 'arn:aws:iam::000000000000:user/sandbox',
        tier: 'Standard',
        keyId: 'alias/aws/ssm',
      },
    ],
    metrics: [
      series(METRIC_IDS.cpuAverage, 'CPU average', 'Percent', [20, 25, 30]),
      series(
        METRIC_IDS.memoryAverage,
        'Memory average',
        'Percent',
        [40, 42, 41],
      ),
      series(METRIC_IDS.runningTaskCount, 'Running tasks', 'Count', [2, 2, 2]),
    ],
    logs: [
      {
        timestamp: new Date(base).toISOString(),
        message: 'GET /health 200',
        logStream: 'ecs/app/aaaa1111',
      },
    ],
    consoleLinks: {
      service: 'https://console.aws.amazon.com/ecs/service',
      tasks: 'https://console.aws.amazon.com/ecs/tasks',
      logs: 'https://console.aws.amazon.com/logs',
      parameters: 'https://console.aws.amazon.com/ssm',
      metrics: 'https://console.aws.amazon.com/cloudwatch',
      stack: 'https://console.aws.amazon.com/cloudformation',
    },
    errors: [],
    fetchedAt: new Date(base).toISOString(),
    ...overrides,
  };
}

export function response(
  environments: EnvironmentStatus[],
): EnvironmentStatusResponse {
  return {
    entityRef: 'component:default/devops-app',
    range: '1h',
    environments,
  };
}

/** The overview row the backend would derive from `status`. */
export function overview(status: EnvironmentStatusResponse): StatusOverviewRow {
  return {
    entityRef: status.entityRef,
    project: 'devops-app',
    environments: status.environments.map(e => ({
      name: e.name,
      summary: summarizeStatus(e),
    })),
  };
}
