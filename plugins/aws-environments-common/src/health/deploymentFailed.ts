import { Finding } from '../types';
import { isWithinMinutes } from './time';
import { HealthRule } from './types';

// ECS writes these when the deployment circuit breaker rolls back, in the
// service events ("rolling back to deployment ecs-svc/…") and in the
// rolloutStateReason of the deployment it returns to.
const ROLLBACK = /rolling back|rolled back/i;

/** A rollout failed, or the circuit breaker rolled it back. */
export const detectDeploymentFailed: HealthRule = (input, options) => {
  const service = input.service;
  if (!service) {
    return [];
  }
  const findings: Finding[] = [];
  const failed = service.deployments.find(d => d.rolloutState === 'FAILED');
  if (failed) {
    findings.push({
      id: 'deployment-failed',
      severity: 'error',
      title: 'Deployment failed',
      message: `Deployment ${failed.id}${
        failed.taskDefinitionRevision !== undefined
          ? ` (revision ${failed.taskDefinitionRevision})`
          : ''
      } failed${
        failed.rolloutStateReason ? `: ${failed.rolloutStateReason}` : ''
      }${
        failed.failedTasks > 0 ? ` (${failed.failedTasks} failed tasks)` : ''
      }.`,
      source: 'ecs',
    });
  }

  const rollbackDeployment = service.deployments.find(
    d =>
      ROLLBACK.test(d.rolloutStateReason ?? '') &&
      isWithinMinutes(
        options.now,
        d.updatedAt ?? d.createdAt,
        options.deploymentEventWindowMinutes,
      ),
  );
  const rollbackEvent = service.events.find(
    e =>
      ROLLBACK.test(e.message) &&
      isWithinMinutes(
        options.now,
        e.createdAt,
        options.deploymentEventWindowMinutes,
      ),
  );
  if (rollbackDeployment || rollbackEvent) {
    findings.push({
      id: 'deployment-rolled-back',
      severity: 'warning',
      title: 'Deployment rolled back',
      message: `The deployment circuit breaker rolled back a failed deployment: ${
        rollbackDeployment?.rolloutStateReason ?? rollbackEvent?.message
      }`,
      source: 'ecs',
    });
  }
  return findings;
};
