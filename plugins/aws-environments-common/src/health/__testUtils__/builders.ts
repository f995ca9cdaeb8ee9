import {
  EcsDeploymentSummary,
  EcsServiceSummary,
  EcsTaskSummary,
  MetricSeries,
} from '../../types';
import { DEFAULT_HEALTH_OPTIONS, HealthOptions } from '../types';

export const NOW = new Date('2026-11-20T12:00:00.000Z');

export const options: HealthOptions = { ...DEFAULT_HEALTH_OPTIONS, now: NOW };

export function minutesAgo(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

export function deployment(
  overrides: Partial<EcsDeploymentSummary> = {},
): EcsDeploymentSummary {
  return {
    id: 'ecs-svc/1',
    status: 'PRIMARY',
    taskDefinitionRevision: 3,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'COMPLETED',
    createdAt: minutesAgo(120),
    updatedAt: minutesAgo(110),
    ...overrides,
  };
}

export function service(
  overrides: Partial<EcsServiceSummary> = {},
): EcsServiceSummary {
  return {
    serviceName: 'shop-test-service',
    clusterName: 'shop-test-ecs-cluster',
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    deployments: [deployment()],
    events: [],
    ...overrides,
  };
}

export function stoppedTask(
  overrides: Partial<EcsTaskSummary> = {},
): EcsTaskSummary {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/c/abc',
    taskId: 'abc',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'app', exitCode: 1 }],
    stoppedAt: minutesAgo(5),
    ...overrides,
  };
}

/** A series with one point per period, newest `minutes` ago at the latest. */
export function series(
  id: string,
  values: number[],
  period = 60,
  newestMinutesAgo = 1,
): MetricSeries {
  const newest = NOW.getTime() - newestMinutesAgo * 60_000;
  return {
    id,
    label: id,
    unit: 'Percent',
    period,
    points: values.map((value, i) => ({
      timestamp: new Date(
        newest - (values.length - 1 - i) * period * 1000,
      ).toISOString(),
      value,
    })),
  };
}
