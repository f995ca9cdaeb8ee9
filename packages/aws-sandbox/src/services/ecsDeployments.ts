/*
 * A service's deployments: their ids, the deployment configuration with ECS's
 * defaults, and starting a new one (an update, or the circuit breaker's
 * rollback in the simulator).
 */
import type { EcsDeployment, EcsService } from '../stateEcs';
import type { EcsContext } from './ecsLookup';

export function newDeploymentId(ctx: EcsContext): string {
  return `ecs-svc/${String(ctx.sandbox.random.int(1, 9))}${ctx.sandbox.random
    .int(0, 999999999)
    .toString()
    .padStart(9, '0')}${ctx.sandbox.random
    .int(0, 999999)
    .toString()
    .padStart(9, '0')}`;
}

export function defaultDeploymentConfiguration(input: any) {
  return {
    deploymentCircuitBreaker: {
      enable: false,
      rollback: false,
      ...(input?.deploymentCircuitBreaker ?? {}),
    },
    maximumPercent: input?.maximumPercent ?? 200,
    minimumHealthyPercent: input?.minimumHealthyPercent ?? 100,
    ...(input?.alarms ? { alarms: input.alarms } : {}),
  };
}

/** A new PRIMARY deployment; the previous ones become ACTIVE and drain. */
export function startDeployment(
  ctx: EcsContext,
  svc: EcsService,
  taskDefinition: string,
  rollbackReason?: string,
): EcsDeployment {
  for (const d of svc.deployments) {
    if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    d.updatedAt = ctx.now;
  }
  const dep: EcsDeployment = {
    id: newDeploymentId(ctx),
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: svc.desiredCount,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
    isRollback: rollbackReason !== undefined,
  };
  dep.rolloutStateReason =
    rollbackReason ?? `ECS deployment ${dep.id} in progress.`;
  svc.deployments.unshift(dep);
  svc.consecutiveFailures = 0;
  return dep;
}
