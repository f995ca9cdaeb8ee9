import {
  NOW,
  deployment,
  service,
  stoppedTask,
} from './health/__testUtils__/builders';
import { summarizeStatus } from './summary';
import { EnvironmentStatus } from './types';

const links = {
  service: 's',
  tasks: 't',
  logs: 'l',
  parameters: 'p',
  metrics: 'm',
  stack: 'k',
};

function status(overrides: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
  return {
    name: 'qa',
    title: 'QA',
    accountId: '111111111111',
    region: 'eu-west-1',
    order: 1,
    health: 'degraded',
    findings: [
      {
        id: 'running-below-desired',
        severity: 'warning',
        title: 'Fewer tasks running than desired',
        message: '1 of 2 tasks run.',
        source: 'ecs',
      },
    ],
    service: service({
      image: 'registry/shop:1.4.0',
      taskDefinitionRevision: 7,
      runningCount: 1,
      pendingCount: 1,
      scaling: { minCapacity: 1, maxCapacity: 4 },
      deployments: [
        deployment({
          id: 'ecs-svc/old',
          status: 'ACTIVE',
          createdAt: '2026-11-19T10:00:00.000Z',
        }),
        deployment({
          id: 'ecs-svc/new',
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: 'ECS deployment ecs-svc/new in progress.',
          createdAt: '2026-11-20T11:50:00.000Z',
        }),
      ],
    }),
    tasks: [stoppedTask()],
    parameters: [{ name: '/shop/qa/app-secret', type: 'SecureString' }],
    metrics: [
      { id: 'cpu', label: 'CPU', unit: 'Percent', period: 60, points: [] },
    ],
    logs: [{ timestamp: NOW.toISOString(), message: 'hi', logStream: 's' }],
    consoleLinks: links,
    errors: [{ type: 'THROTTLED', source: 'logs', message: 'Slow down' }],
    fetchedAt: NOW.toISOString(),
    ...overrides,
  };
}

describe('summarizeStatus', () => {
  it('keeps counts, image and the primary deployment, and drops tasks, parameters, metrics and logs', () => {
    const summary = summarizeStatus(status());
    expect(summary).toEqual({
      name: 'qa',
      title: 'QA',
      accountId: '111111111111',
      region: 'eu-west-1',
      order: 1,
      health: 'degraded',
      findings: status().findings,
      service: {
        status: 'ACTIVE',
        desiredCount: 2,
        runningCount: 1,
        pendingCount: 1,
        image: 'registry/shop:1.4.0',
        taskDefinitionRevision: 7,
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment ecs-svc/new in progress.',
        deployedAt: '2026-11-20T11:50:00.000Z',
        scaling: { minCapacity: 1, maxCapacity: 4 },
      },
      consoleLinks: links,
      error: undefined,
      errors: [{ type: 'THROTTLED', source: 'logs', message: 'Slow down' }],
      fetchedAt: NOW.toISOString(),
    });
    expect(JSON.stringify(summary)).not.toMatch(/app-secret|hi|ecs-svc\/old/);
  });

  it('has no service when ECS could not be read, and keeps the error', () => {
    const error = {
      type: 'ACCESS_DENIED' as const,
      source: 'ecs' as const,
      message: 'Denied',
    };
    const summary = summarizeStatus(
      status({
        service: undefined,
        health: 'unknown',
        findings: [],
        error,
        errors: [error],
      }),
    );
    expect(summary.service).toBeUndefined();
    expect(summary.error).toEqual(error);
    expect(summary.health).toBe('unknown');
  });
});
