import {
  deployment,
  minutesAgo,
  options,
  service,
} from './__testUtils__/builders';
import { detectDeploymentFailed } from './deploymentFailed';

describe('detectDeploymentFailed', () => {
  it('is silent for a completed rollout', () => {
    expect(
      detectDeploymentFailed({ service: service(), tasks: [] }, options),
    ).toEqual([]);
  });

  it('reports a failed rollout with its reason', () => {
    const svc = service({
      deployments: [
        deployment({
          id: 'ecs-svc/2',
          taskDefinitionRevision: 4,
          rolloutState: 'FAILED',
          rolloutStateReason:
            'ECS deployment circuit breaker: tasks failed to start.',
          failedTasks: 3,
        }),
      ],
    });
    const findings = detectDeploymentFailed(
      { service: svc, tasks: [] },
      options,
    );
    expect(findings).toEqual([
      {
        id: 'deployment-failed',
        severity: 'error',
        title: 'Deployment failed',
        message:
          'Deployment ecs-svc/2 (revision 4) failed: ECS deployment circuit breaker: tasks failed to start. (3 failed tasks).',
        source: 'ecs',
      },
    ]);
  });

  it('reports a circuit-breaker rollback from the deployment reason', () => {
    const svc = service({
      deployments: [
        deployment({
          rolloutStateReason:
            'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.',
          updatedAt: minutesAgo(5),
        }),
      ],
    });
    expect(
      detectDeploymentFailed({ service: svc, tasks: [] }, options),
    ).toEqual([
      expect.objectContaining({
        id: 'deployment-rolled-back',
        severity: 'warning',
      }),
    ]);
  });

  it('reports a rollback from recent service events', () => {
    const svc = service({
      events: [
        {
          id: 'e1',
          createdAt: minutesAgo(3),
          message:
            '(service shop-test-service) rolling back to deployment ecs-svc/1.',
        },
      ],
    });
    const [finding] = detectDeploymentFailed(
      { service: svc, tasks: [] },
      options,
    );
    expect(finding.id).toBe('deployment-rolled-back');
    expect(finding.message).toContain('rolling back to deployment ecs-svc/1');
  });

  it('ignores rollbacks older than the event window', () => {
    const svc = service({
      deployments: [
        deployment({
          rolloutStateReason: 'rolling back to deploymentId ecs-svc/0',
          updatedAt: minutesAgo(300),
        }),
      ],
      events: [
        {
          id: 'e1',
          createdAt: minutesAgo(300),
          message: 'rolling back to deployment ecs-svc/0.',
        },
      ],
    });
    expect(
      detectDeploymentFailed({ service: svc, tasks: [] }, options),
    ).toEqual([]);
  });
});
