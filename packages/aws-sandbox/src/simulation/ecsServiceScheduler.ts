/*
 * The service scheduler: converges a service on its desired count within its
 * deployment configuration's percentages, rolls its deployments (new tasks
 * for the PRIMARY one, older ones drained, IN_PROGRESS -> COMPLETED) and
 * drains a deleted service.
 */
import type { EcsWorld } from '../world';
import type { RegionState } from '../state';
import type { EcsService, EcsTask } from '../stateEcs';
import type { EcsTaskIndex } from './ecsTaskIndex';
import { addServiceEvent } from './ecsServiceEvents';
import { launchTask, stopTask } from './ecsTaskLifecycle';

/** A task counts as healthy (old tasks may drain) after running this long. */
export const HEALTHY_AFTER_MS = 10_000;
/** A deployment completes once its tasks have been running this long. */
export const STABLE_AFTER_MS = 30_000;

export function reconcileService(
  sandbox: EcsWorld,
  index: EcsTaskIndex,
  region: string,
  r: RegionState,
  svc: EcsService,
  now: number,
) {
  if (svc.status === 'INACTIVE') return;
  const live = index.liveTasks(r, svc);
  if (svc.status === 'DRAINING') {
    for (const t of live) {
      stopTask(
        t,
        now,
        `Scaling activity initiated by (deployment ${svc.deployments[0]?.id})`,
        'ServiceSchedulerInitiated',
      );
    }
    const remaining = index
      .serviceTasks(r, svc)
      .some(t => t.lastStatus !== 'STOPPED');
    if (!remaining) {
      svc.status = 'INACTIVE';
      for (const d of svc.deployments)
        d.status = d.status === 'PRIMARY' ? 'PRIMARY' : 'INACTIVE';
    }
    recordRunning(index, r, svc, now);
    return;
  }
  const primary = svc.deployments[0];
  if (!primary) return;
  primary.desiredCount = svc.desiredCount;
  const desired = svc.desiredCount;
  const cfg = svc.deploymentConfiguration ?? {};
  const maxPercent = cfg.maximumPercent ?? 200;
  const minPercent = cfg.minimumHealthyPercent ?? 100;
  const ofDep = (id: string) => live.filter(t => t.deploymentId === id);
  const stopped: EcsTask[] = [];
  const stop = (t: EcsTask) => {
    stopTask(
      t,
      now,
      `Scaling activity initiated by (deployment ${primary.id})`,
      'ServiceSchedulerInitiated',
    );
    stopped.push(t);
  };

  // Scale in: the primary deployment has more tasks than desired.
  const primaryLive = ofDep(primary.id);
  if (primaryLive.length > desired) {
    const order = [...primaryLive].sort(
      (a, b) =>
        Number(a.lastStatus === 'RUNNING') -
          Number(b.lastStatus === 'RUNNING') || b.createdAt - a.createdAt,
    );
    for (const t of order.slice(0, primaryLive.length - desired)) stop(t);
  }

  // Launch up to desired, within maximumPercent of all live tasks.
  const started: EcsTask[] = [];
  const liveNow = () => index.liveTasks(r, svc).length;
  const maxTotal = Math.max(desired, Math.floor((desired * maxPercent) / 100));
  // A deployment the circuit breaker failed launches no more tasks.
  const failed = primary.rolloutState === 'FAILED';
  if (now >= svc.nextLaunchAt && !failed) {
    const want =
      desired -
      ofDep(primary.id).filter(t => t.desiredStatus === 'RUNNING').length;
    const room = maxTotal - liveNow();
    const count = Math.min(want, room);
    for (let i = 0; i < count; i++) {
      const t = launchTask(sandbox, index, region, r, svc, primary, now);
      if (t) started.push(t);
    }
  }

  // Drain older deployments while keeping minimumHealthyPercent running.
  const minHealthy = Math.ceil((desired * minPercent) / 100);
  const isHealthy = (t: EcsTask) =>
    t.lastStatus === 'RUNNING' &&
    now - (t.startedAt ?? now) >= HEALTHY_AFTER_MS;
  let healthy = index.liveTasks(r, svc).filter(isHealthy).length;
  // After a failed rollout (without rollback) the older tasks keep serving.
  for (const dep of failed ? [] : svc.deployments.slice(1)) {
    const tasks = index
      .liveTasks(r, svc)
      .filter(t => t.deploymentId === dep.id)
      .sort(
        (a, b) =>
          Number(a.lastStatus === 'RUNNING') -
          Number(b.lastStatus === 'RUNNING'),
      );
    for (const t of tasks) {
      if (t.lastStatus !== 'RUNNING') stop(t);
      else if (!isHealthy(t) || healthy - 1 >= minHealthy) {
        stop(t);
        if (isHealthy(t)) healthy--;
      }
    }
  }
  // Deployments with nothing left are dropped, as ECS does.
  svc.deployments = svc.deployments.filter(
    (d, i) =>
      i === 0 ||
      Object.values(r.ecs.tasks).some(
        t => t.deploymentId === d.id && t.desiredStatus === 'RUNNING',
      ),
  );

  if (started.length > 0) {
    addServiceEvent(
      sandbox,
      svc,
      now,
      `(service ${svc.serviceName}) has started ${
        started.length
      } tasks: ${started.map(t => `(task ${t.taskId})`).join(' ')}.`,
    );
  }
  const stoppedRunning = stopped.filter(t => t.startedAt !== undefined);
  if (stoppedRunning.length > 0) {
    addServiceEvent(
      sandbox,
      svc,
      now,
      `(service ${svc.serviceName}) has stopped ${
        stoppedRunning.length
      } running tasks: ${stoppedRunning
        .map(t => `(task ${t.taskId})`)
        .join(' ')}.`,
    );
  }

  const all = index.liveTasks(r, svc);
  const stable = all.filter(
    t =>
      t.lastStatus === 'RUNNING' &&
      t.deploymentId === primary.id &&
      now - (t.startedAt ?? now) >= STABLE_AFTER_MS,
  ).length;
  const steady =
    svc.deployments.length === 1 &&
    stable === desired &&
    all.length === desired;
  if (steady && primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = now;
    svc.stableTaskDefinition = primary.taskDefinition;
    svc.stableDeploymentId = primary.id;
    addServiceEvent(
      sandbox,
      svc,
      now,
      `(service ${svc.serviceName}) (deployment ${primary.id}) deployment completed.`,
    );
  }
  if (steady && !svc.steady) {
    addServiceEvent(
      sandbox,
      svc,
      now,
      `(service ${svc.serviceName}) has reached a steady state.`,
    );
  }
  svc.steady = steady;
  recordRunning(index, r, svc, now);
}

export function recordRunning(
  index: EcsTaskIndex,
  r: RegionState,
  svc: EcsService,
  now: number,
) {
  const count = index
    .serviceTasks(r, svc)
    .filter(t => t.lastStatus === 'RUNNING').length;
  const last = svc.runningHistory[svc.runningHistory.length - 1];
  if (!last || last[1] !== count) {
    if (last && last[0] === now) last[1] = count;
    else svc.runningHistory.push([now, count]);
  }
  if (svc.runningHistory.length > 20_000) svc.runningHistory.splice(1, 1000);
}
