/*
 * What a failed task does to its service: restarts slow down while tasks keep
 * failing, and with the deployment circuit breaker enabled the deployment
 * fails once enough of its tasks have, rolling back to the last completed
 * one if the breaker's rollback is on.
 */
import type { EcsWorld } from '../world';
import type { RegionState } from '../state';
import type { EcsService, EcsTask } from '../stateEcs';
import { startDeployment } from '../services/ecsDeployments';
import { simulatorContext } from './ecsSimulatorContext';
import { addServiceEvent } from './ecsServiceEvents';

export function onTaskFailed(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  svc: EcsService,
  t: EcsTask,
  now: number,
) {
  const dep = svc.deployments.find(d => d.id === t.deploymentId);
  if (dep) {
    dep.failedTasks++;
    dep.updatedAt = now;
  }
  svc.consecutiveFailures++;
  const n = svc.consecutiveFailures;
  // ECS throttles restarts of tasks that keep failing.
  const backoff = n <= 2 ? 0 : Math.min(10_000 * 2 ** (n - 3), 900_000);
  svc.nextLaunchAt = now + backoff;
  const cb = svc.deploymentConfiguration?.deploymentCircuitBreaker;
  if (
    !cb?.enable ||
    !dep ||
    dep.status !== 'PRIMARY' ||
    dep.rolloutState !== 'IN_PROGRESS'
  ) {
    return;
  }
  const threshold = Math.min(
    200,
    Math.max(3, Math.ceil(svc.desiredCount * 0.5)),
  );
  if (dep.failedTasks < threshold) return;
  dep.rolloutState = 'FAILED';
  dep.rolloutStateReason =
    'ECS deployment circuit breaker: tasks failed to start.';
  addServiceEvent(
    sandbox,
    svc,
    now,
    `(service ${svc.serviceName}) (deployment ${dep.id}) deployment failed: tasks failed to start.`,
  );
  if (
    cb.rollback &&
    svc.stableTaskDefinition &&
    !dep.isRollback &&
    svc.stableDeploymentId !== dep.id
  ) {
    svc.taskDefinition = svc.stableTaskDefinition;
    startDeployment(
      simulatorContext(sandbox, region, r, now),
      svc,
      svc.stableTaskDefinition,
      `ECS deployment circuit breaker: rolling back to deploymentId ${svc.stableDeploymentId}.`,
    );
    svc.nextLaunchAt = now;
    svc.steady = false;
    addServiceEvent(
      sandbox,
      svc,
      now,
      `(service ${svc.serviceName}) rolling back to deployment ${svc.stableDeploymentId}.`,
    );
  }
}
