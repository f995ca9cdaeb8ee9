/*
 * Moves ECS along on the simulated clock: tasks go PROVISIONING -> PENDING ->
 * RUNNING over a few seconds, services converge on their desired count,
 * deployments roll (PRIMARY/ACTIVE, IN_PROGRESS -> COMPLETED) and the
 * deployment circuit breaker fails and rolls back deployments whose tasks keep
 * failing. Running tasks write to their awslogs log group.
 *
 * This file holds the clock's side: when something is next due, a tick over
 * every region, and the calls the ECS API and CloudFormation make. A task's
 * life is in ecsTaskLifecycle.ts (placed by ecsPlacement.ts, writing its logs
 * through ecsTaskLogs.ts), a service's in ecsServiceScheduler.ts, and what a
 * failed task does to its deployment in ecsCircuitBreaker.ts.
 */
import type { EcsControl, EcsWorld } from '../world';
import type { ClockListener } from './clock';
import type { RegionState } from '../state';
import type { EcsService } from '../stateEcs';
import { regionEntries } from '../state';
import { hashString, noise } from './random';
import { EcsTaskIndex } from './ecsTaskIndex';
import { advanceTask, crashFault, stopTask } from './ecsTaskLifecycle';
import {
  HEALTHY_AFTER_MS,
  reconcileService,
  recordRunning,
  STABLE_AFTER_MS,
} from './ecsServiceScheduler';

/** Stopped tasks stay visible for an hour, as in ECS. */
const STOPPED_RETENTION_MS = 3600_000;

export class EcsSimulator implements ClockListener, EcsControl {
  private readonly index = new EcsTaskIndex();

  constructor(private readonly sandbox: EcsWorld) {}

  private regions(): [string, RegionState][] {
    return regionEntries(this.sandbox.state).map(e => [e.region, e.state]);
  }

  nextDueAt(now: number): number | undefined {
    return this.index.inPass(() => this.findNextDue(now));
  }

  private findNextDue(now: number): number | undefined {
    let due: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && t > now && (due === undefined || t < due)) due = t;
    };
    for (const [, r] of this.regions()) {
      for (const t of Object.values(r.ecs.tasks)) {
        if (t.lastStatus === 'STOPPED') continue;
        if (t.stopDueAt !== undefined) {
          consider(t.stopDueAt);
          continue;
        }
        if (t.lastStatus === 'PROVISIONING') consider(t.pendingAt);
        if (t.lastStatus === 'PENDING')
          consider(Math.min(t.runningAt, t.failAt ?? Infinity));
        if (t.lastStatus === 'RUNNING') {
          consider(t.failAt);
          consider((t.startedAt ?? 0) + HEALTHY_AFTER_MS);
          consider((t.startedAt ?? 0) + STABLE_AFTER_MS);
        }
      }
      for (const s of Object.values(r.ecs.services)) {
        if (
          s.status === 'ACTIVE' &&
          s.nextLaunchAt > now &&
          this.needsTasks(r, s)
        ) {
          consider(s.nextLaunchAt);
        }
      }
    }
    return due;
  }

  onTick(now: number): void {
    this.index.inPass(() => {
      for (const [region, r] of this.regions()) this.step(region, r, now);
    });
  }

  /** Applies an API change immediately (new service, new desired count). */
  reconcileNow(): void {
    this.onTick(this.sandbox.now());
  }

  /** A crash-loop fault was added or removed: re-plan live tasks. */
  onFaultsChanged(): void {
    const now = this.sandbox.now();
    for (const [, r] of this.regions()) {
      for (const t of Object.values(r.ecs.tasks)) {
        if (t.desiredStatus !== 'RUNNING' || t.failReason === 'logger')
          continue;
        const crash = crashFault(this.sandbox, t);
        if (crash && t.failAt === undefined) {
          const base = Math.max(now, t.runningAt);
          t.failAt =
            base + 2000 + Math.floor(noise(hashString(t.taskId), 1) * 4000);
          t.failReason = 'crash';
        } else if (!crash && t.failReason === 'crash') {
          t.failAt = undefined;
          t.failReason = undefined;
        }
      }
    }
    this.reconcileNow();
  }

  private needsTasks(r: RegionState, s: EcsService): boolean {
    if (s.deployments[0]?.rolloutState === 'FAILED') return false;
    const live = this.index
      .liveTasks(r, s)
      .filter(t => t.deploymentId === s.deployments[0]?.id);
    return live.length < s.desiredCount;
  }

  private step(region: string, r: RegionState, now: number): void {
    for (const t of Object.values(r.ecs.tasks))
      advanceTask(this.sandbox, region, r, t, now);
    for (const s of Object.values(r.ecs.services))
      reconcileService(this.sandbox, this.index, region, r, s, now);
    for (const [arn, t] of Object.entries(r.ecs.tasks)) {
      if (
        t.lastStatus === 'STOPPED' &&
        (t.stoppedAt ?? now) < now - STOPPED_RETENTION_MS
      ) {
        delete r.ecs.tasks[arn];
      }
    }
    for (const [key, s] of Object.entries(r.ecs.services)) {
      if (
        s.status === 'INACTIVE' &&
        (s.deletedAt ?? now) < now - STOPPED_RETENTION_MS
      ) {
        delete r.ecs.services[key];
      }
    }
  }

  /**
   * Stops a deleted service's tasks at once. CloudFormation waits for a
   * service to drain before deleting its cluster; with a manual clock that
   * wait would never end, so the sandbox completes the drain immediately.
   */
  finishDrain(svc: EcsService, now: number): void {
    for (const [, r] of this.regions()) {
      if (r.ecs.services[`${svc.clusterName}/${svc.serviceName}`] !== svc)
        continue;
      for (const t of Object.values(r.ecs.tasks)) {
        if (
          t.clusterName !== svc.clusterName ||
          t.serviceName !== svc.serviceName
        )
          continue;
        if (t.lastStatus === 'STOPPED') continue;
        this.stopTask(
          t,
          now,
          `Scaling activity initiated by (deployment ${svc.deployments[0]?.id})`,
          'ServiceSchedulerInitiated',
        );
        t.lastStatus = 'STOPPED';
        t.stoppedAt = now;
        t.stopDueAt = undefined;
        for (const c of t.containers) c.lastStatus = 'STOPPED';
      }
      svc.status = 'INACTIVE';
      recordRunning(this.index, r, svc, now);
    }
  }

  readonly stopTask = stopTask;
}
