/*
 * Moves ECS along on the simulated clock: tasks go PROVISIONING -> PENDING ->
 * RUNNING over a few seconds, services converge on their desired count,
 * deployments roll (PRIMARY/ACTIVE, IN_PROGRESS -> COMPLETED) and the
 * deployment circuit breaker fails and rolls back deployments whose tasks keep
 * failing. Running tasks write to their awslogs log group.
 */
import type { EcsControl, EcsWorld } from '../world';
import type { ClockListener } from './clock';
import type { EcsDeployment, EcsService, EcsTask, RegionState } from '../state';
import { ACCOUNT_ID, regionEntries, userArn } from '../state';
import { EcsContext, lastSegment } from '../services/ecsLookup';
import { findTaskDefinition } from '../services/ecsTaskDefinitions';
import { startDeployment } from '../services/ecsDeployments';
import { appendLogEvents, createLogGroup } from '../services/logs';
import {
  availabilityZones,
  Placement,
  placements,
  randomHost,
} from '../services/ec2Network';
import { hashString, noise } from './random';

/** Stopped tasks stay visible for an hour, as in ECS. */
const STOPPED_RETENTION_MS = 3600_000;
const MAX_EVENTS = 100;
/** Log heartbeats back-filled at most this far after a long clock jump. */
const MAX_LOG_BACKFILL_MS = 60 * 60_000;
/** A task counts as healthy (old tasks may drain) after running this long. */
const HEALTHY_AFTER_MS = 10_000;
/** A deployment completes once its tasks have been running this long. */
const STABLE_AFTER_MS = 30_000;

export class EcsSimulator implements ClockListener, EcsControl {
  private passes = 0;
  private taskIndex = new WeakMap<RegionState, Map<string, EcsTask[]>>();

  constructor(private readonly sandbox: EcsWorld) {}

  private regions(): [string, RegionState][] {
    return regionEntries(this.sandbox.state).map(e => [e.region, e.state]);
  }

  /** The account `r` belongs to: tasks get its ARNs and log into it. */
  private accountOf(r: RegionState): string {
    const entry = regionEntries(this.sandbox.state).find(e => e.state === r);
    return entry?.account ?? ACCOUNT_ID;
  }

  private ctx(region: string, r: RegionState, now: number): EcsContext {
    return {
      sandbox: this.sandbox,
      region,
      regionState: r,
      caller: {
        accessKeyId: 'ecs',
        account: this.accountOf(r),
        arn: userArn(this.accountOf(r)),
        userId: 'ecs',
      },
      now,
    };
  }

  nextDueAt(now: number): number | undefined {
    return this.inPass(() => this.findNextDue(now));
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
    this.inPass(() => {
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
        const crash = this.crashFault(t);
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

  private crashFault(t: {
    clusterName: string;
    serviceName?: string;
    taskDefinitionArn: string;
  }) {
    return this.sandbox.state.faults.find(
      f =>
        f.type === 'crashloop' &&
        f.service === t.serviceName &&
        (!f.cluster || lastSegment(f.cluster) === t.clusterName) &&
        (!f.taskDefinition ||
          t.taskDefinitionArn === f.taskDefinition ||
          t.taskDefinitionArn.endsWith(`/${f.taskDefinition}`)),
    );
  }

  private needsTasks(r: RegionState, s: EcsService): boolean {
    if (s.deployments[0]?.rolloutState === 'FAILED') return false;
    const live = this.liveTasks(r, s).filter(
      t => t.deploymentId === s.deployments[0]?.id,
    );
    return live.length < s.desiredCount;
  }

  private liveTasks(r: RegionState, s: EcsService): EcsTask[] {
    return this.serviceTasks(r, s).filter(t => t.desiredStatus === 'RUNNING');
  }

  /**
   * A service's tasks, from an index while a pass over all services runs:
   * scanning every task once per service made each tick quadratic, minutes
   * long with a few thousand services.
   */
  private serviceTasks(r: RegionState, s: EcsService): EcsTask[] {
    if (!this.passes) {
      return Object.values(r.ecs.tasks).filter(
        t => t.clusterName === s.clusterName && t.serviceName === s.serviceName,
      );
    }
    let index = this.taskIndex.get(r);
    if (!index) {
      index = new Map();
      for (const t of Object.values(r.ecs.tasks)) this.indexTask(index, t);
      this.taskIndex.set(r, index);
    }
    return index.get(`${s.clusterName}/${s.serviceName}`) ?? [];
  }

  private indexTask(index: Map<string, EcsTask[]>, t: EcsTask) {
    if (!t.serviceName) return;
    const key = `${t.clusterName}/${t.serviceName}`;
    const list = index.get(key);
    if (list) list.push(t);
    else index.set(key, [t]);
  }

  /** Runs `fn` with the task index on; it is dropped when the outer pass ends. */
  private inPass<T>(fn: () => T): T {
    this.passes++;
    try {
      return fn();
    } finally {
      this.passes--;
      if (!this.passes) this.taskIndex = new WeakMap();
    }
  }

  private step(region: string, r: RegionState, now: number): void {
    for (const t of Object.values(r.ecs.tasks))
      this.advanceTask(region, r, t, now);
    for (const s of Object.values(r.ecs.services))
      this.reconcileService(region, r, s, now);
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

  private advanceTask(region: string, r: RegionState, t: EcsTask, now: number) {
    if (t.lastStatus === 'STOPPED') return;
    if (t.stopDueAt !== undefined) {
      if (now >= t.stopDueAt) {
        t.lastStatus = 'STOPPED';
        t.stoppedAt = t.stopDueAt;
        t.stopDueAt = undefined;
        t.version++;
        for (const c of t.containers) c.lastStatus = 'STOPPED';
      }
      return;
    }
    if (t.lastStatus === 'PROVISIONING' && now >= t.pendingAt) {
      t.lastStatus = 'PENDING';
      t.pullStartedAt = t.pendingAt + 400;
      t.version++;
    }
    if (t.lastStatus === 'PENDING') {
      if (
        t.failAt !== undefined &&
        t.failAt <= t.runningAt &&
        now >= t.failAt
      ) {
        this.failTask(region, r, t, t.failAt);
        return;
      }
      if (now >= t.runningAt) {
        t.lastStatus = 'RUNNING';
        t.pullStoppedAt = t.runningAt - 1200;
        t.startedAt = t.runningAt;
        t.version++;
        for (const c of t.containers) c.lastStatus = 'RUNNING';
        this.writeStartupLogs(region, r, t);
        const svc = this.serviceOf(r, t);
        if (svc && t.failAt === undefined) svc.consecutiveFailures = 0;
      }
    }
    if (t.lastStatus === 'RUNNING') {
      this.writeHeartbeats(region, r, t, Math.min(now, t.failAt ?? now));
      if (t.failAt !== undefined && now >= t.failAt)
        this.failTask(region, r, t, t.failAt);
    }
  }

  private serviceOf(r: RegionState, t: EcsTask): EcsService | undefined {
    if (!t.serviceName) return undefined;
    return r.ecs.services[`${t.clusterName}/${t.serviceName}`];
  }

  /** The task's essential container exited (crash) or it could not start. */
  private failTask(region: string, r: RegionState, t: EcsTask, at: number) {
    if (t.failReason === 'logger') {
      const group = t.containers.find(c => c.logGroup)?.logGroup;
      this.stopTask(
        t,
        at,
        `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1${
          group ? '' : ''
        }`,
        'TaskFailedToStart',
        true,
      );
    } else {
      this.writeLogs(region, r, t, at, [
        'Error: unhandled exception in main loop',
        `Process exited with code 1`,
      ]);
      for (const c of t.containers) {
        if (c.essential) c.exitCode = 1;
      }
      this.stopTask(
        t,
        at,
        'Essential container in task exited',
        'EssentialContainerExited',
        true,
      );
    }
    const svc = this.serviceOf(r, t);
    if (svc) this.onTaskFailed(region, r, svc, t, at);
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
      this.recordRunning(r, svc, now);
    }
  }

  /** Asks a task to stop; it reaches STOPPED a few seconds later. */
  stopTask(
    t: EcsTask,
    now: number,
    reason: string,
    stopCode: string,
    failed = false,
  ) {
    if (t.desiredStatus === 'STOPPED') return;
    t.desiredStatus = 'STOPPED';
    t.stoppedReason = reason;
    t.stopCode = stopCode;
    t.failed = failed;
    t.stoppingAt = now;
    t.failAt = undefined;
    const wasRunning = t.lastStatus === 'RUNNING';
    t.lastStatus = wasRunning ? 'DEACTIVATING' : 'DEPROVISIONING';
    t.stopDueAt = now + (wasRunning ? 5000 : 2000);
    t.version++;
    for (const c of t.containers) {
      if (wasRunning && c.exitCode === undefined && !failed) c.exitCode = 0;
    }
  }

  private onTaskFailed(
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
    this.event(
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
        this.ctx(region, r, now),
        svc,
        svc.stableTaskDefinition,
        `ECS deployment circuit breaker: rolling back to deploymentId ${svc.stableDeploymentId}.`,
      );
      svc.nextLaunchAt = now;
      svc.steady = false;
      this.event(
        svc,
        now,
        `(service ${svc.serviceName}) rolling back to deployment ${svc.stableDeploymentId}.`,
      );
    }
  }

  private event(svc: EcsService, now: number, message: string) {
    svc.events.unshift({
      id: this.sandbox.random.uuid(),
      createdAt: now,
      message,
    });
    if (svc.events.length > MAX_EVENTS) svc.events.length = MAX_EVENTS;
  }

  /**
   * Where a new task of `svc` goes, as Fargate places a service's tasks:
   * spread evenly over the zones of its subnets (the zone with the fewest of
   * the service's live tasks, ties broken by the seeded random stream), then
   * over the subnets within the zone. Without subnets (EC2 launch type), the
   * region's zones a, b, c.
   */
  private placeTask(
    region: string,
    r: RegionState,
    svc: EcsService,
    now: number,
  ): Placement & { zoneIndex: number } {
    const ctx = this.ctx(region, r, now);
    const subnets: string[] =
      svc.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    const options: Placement[] = subnets.length
      ? placements(ctx, subnets)
      : availabilityZones(region)
          .slice(0, 3)
          .map(z => ({ availabilityZone: z.ZoneName }));
    const live = this.liveTasks(r, svc);
    const count = (key: (t: EcsTask) => boolean) => live.filter(key).length;
    const zones = [...new Set(options.map(o => o.availabilityZone))];
    const load = zones.map(z => count(t => t.availabilityZone === z));
    const least = Math.min(...load);
    const tied = zones.filter((_, i) => load[i] === least);
    const zone =
      tied[tied.length > 1 ? this.sandbox.random.int(0, tied.length - 1) : 0];
    const inZone = options.filter(o => o.availabilityZone === zone);
    const subnetLoad = inZone.map(o =>
      count(t => o.subnetId !== undefined && t.subnetId === o.subnetId),
    );
    const choice = inZone[subnetLoad.indexOf(Math.min(...subnetLoad))];
    const zoneIndex = Math.max(
      0,
      availabilityZones(region).findIndex(z => z.ZoneName === zone),
    );
    return { ...choice, zoneIndex };
  }

  private launchTask(
    region: string,
    r: RegionState,
    svc: EcsService,
    dep: EcsDeployment,
    now: number,
  ): EcsTask | undefined {
    const ctx = this.ctx(region, r, now);
    const td = findTaskDefinition(ctx, dep.taskDefinition);
    if (!td) return undefined;
    const rnd = this.sandbox.random;
    const taskId = rnd.hex(32);
    const place = this.placeTask(region, r, svc, now);
    const pendingAt = now + 2000 + rnd.int(0, 2000);
    const runningAt = pendingAt + 4000 + rnd.int(0, 4000);
    const account = this.accountOf(r);
    const taskArn = `arn:aws:ecs:${region}:${account}:task/${svc.clusterName}/${taskId}`;
    const task: EcsTask = {
      taskArn,
      taskId,
      clusterArn: svc.clusterArn,
      clusterName: svc.clusterName,
      taskDefinitionArn: td.taskDefinitionArn,
      serviceName: svc.serviceName,
      deploymentId: dep.id,
      group: `service:${svc.serviceName}`,
      startedBy: dep.id,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: svc.launchType ?? 'FARGATE',
      cpu: td.cpu,
      memory: td.memory,
      availabilityZone: place.availabilityZone,
      privateIp: place.cidr
        ? randomHost(place.cidr, size => rnd.int(0, size - 1))
        : `10.0.${101 + place.zoneIndex}.${rnd.int(4, 250)}`,
      subnetId: place.subnetId,
      createdAt: now,
      pendingAt,
      runningAt,
      containers: td.containerDefinitions.map((c: any) => {
        const options =
          c.logConfiguration?.logDriver === 'awslogs'
            ? c.logConfiguration.options ?? {}
            : undefined;
        return {
          containerArn: `arn:aws:ecs:${region}:${account}:container/${
            svc.clusterName
          }/${taskId}/${rnd.uuid()}`,
          name: c.name,
          image: c.image,
          lastStatus: 'PENDING',
          essential: c.essential !== false,
          cpu: c.cpu !== undefined ? String(c.cpu) : '0',
          memory: c.memory !== undefined ? String(c.memory) : undefined,
          logGroup: options?.['awslogs-group'],
          logStreamPrefix: options?.['awslogs-stream-prefix'],
          logRegion: options?.['awslogs-region'] ?? region,
        };
      }),
      version: 1,
    };
    // The awslogs driver needs its log group (unless allowed to create it).
    for (const [i, c] of task.containers.entries()) {
      if (!c.logGroup) continue;
      const logRegion = this.sandbox.region(account, c.logRegion ?? region);
      if (!logRegion.logs.groups[c.logGroup]) {
        const create =
          td.containerDefinitions[i]?.logConfiguration?.options?.[
            'awslogs-create-group'
          ] === 'true';
        if (create) createLogGroup(logRegion, c.logGroup, now);
        else {
          task.failAt = runningAt;
          task.failReason = 'logger';
        }
      }
    }
    if (!task.failReason && this.crashFault(task)) {
      task.failAt = runningAt + 2000 + rnd.int(0, 4000);
      task.failReason = 'crash';
    }
    r.ecs.tasks[taskArn] = task;
    const index = this.taskIndex.get(r);
    if (index) this.indexTask(index, task);
    return task;
  }

  private reconcileService(
    region: string,
    r: RegionState,
    svc: EcsService,
    now: number,
  ) {
    if (svc.status === 'INACTIVE') return;
    const live = this.liveTasks(r, svc);
    if (svc.status === 'DRAINING') {
      for (const t of live) {
        this.stopTask(
          t,
          now,
          `Scaling activity initiated by (deployment ${svc.deployments[0]?.id})`,
          'ServiceSchedulerInitiated',
        );
      }
      const remaining = this.serviceTasks(r, svc).some(
        t => t.lastStatus !== 'STOPPED',
      );
      if (!remaining) {
        svc.status = 'INACTIVE';
        for (const d of svc.deployments)
          d.status = d.status === 'PRIMARY' ? 'PRIMARY' : 'INACTIVE';
      }
      this.recordRunning(r, svc, now);
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
      this.stopTask(
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
    const liveNow = () => this.liveTasks(r, svc).length;
    const maxTotal = Math.max(
      desired,
      Math.floor((desired * maxPercent) / 100),
    );
    // A deployment the circuit breaker failed launches no more tasks.
    const failed = primary.rolloutState === 'FAILED';
    if (now >= svc.nextLaunchAt && !failed) {
      const want =
        desired -
        ofDep(primary.id).filter(t => t.desiredStatus === 'RUNNING').length;
      const room = maxTotal - liveNow();
      const count = Math.min(want, room);
      for (let i = 0; i < count; i++) {
        const t = this.launchTask(region, r, svc, primary, now);
        if (t) started.push(t);
      }
    }

    // Drain older deployments while keeping minimumHealthyPercent running.
    const minHealthy = Math.ceil((desired * minPercent) / 100);
    const isHealthy = (t: EcsTask) =>
      t.lastStatus === 'RUNNING' &&
      now - (t.startedAt ?? now) >= HEALTHY_AFTER_MS;
    let healthy = this.liveTasks(r, svc).filter(isHealthy).length;
    // After a failed rollout (without rollback) the older tasks keep serving.
    for (const dep of failed ? [] : svc.deployments.slice(1)) {
      const tasks = this.liveTasks(r, svc)
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
      this.event(
        svc,
        now,
        `(service ${svc.serviceName}) has started ${
          started.length
        } tasks: ${started.map(t => `(task ${t.taskId})`).join(' ')}.`,
      );
    }
    const stoppedRunning = stopped.filter(t => t.startedAt !== undefined);
    if (stoppedRunning.length > 0) {
      this.event(
        svc,
        now,
        `(service ${svc.serviceName}) has stopped ${
          stoppedRunning.length
        } running tasks: ${stoppedRunning
          .map(t => `(task ${t.taskId})`)
          .join(' ')}.`,
      );
    }

    const all = this.liveTasks(r, svc);
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
      this.event(
        svc,
        now,
        `(service ${svc.serviceName}) (deployment ${primary.id}) deployment completed.`,
      );
    }
    if (steady && !svc.steady) {
      this.event(
        svc,
        now,
        `(service ${svc.serviceName}) has reached a steady state.`,
      );
    }
    svc.steady = steady;
    this.recordRunning(r, svc, now);
  }

  private recordRunning(r: RegionState, svc: EcsService, now: number) {
    const count = this.serviceTasks(r, svc).filter(
      t => t.lastStatus === 'RUNNING',
    ).length;
    const last = svc.runningHistory[svc.runningHistory.length - 1];
    if (!last || last[1] !== count) {
      if (last && last[0] === now) last[1] = count;
      else svc.runningHistory.push([now, count]);
    }
    if (svc.runningHistory.length > 20_000) svc.runningHistory.splice(1, 1000);
  }

  // ---- logs ---------------------------------------------------------------

  private writeLogs(
    region: string,
    r: RegionState,
    t: EcsTask,
    at: number,
    lines: string[],
  ) {
    for (const c of t.containers) {
      if (!c.logGroup) continue;
      const stream = c.logStreamPrefix
        ? `${c.logStreamPrefix}/${c.name}/${t.taskId}`
        : `${c.name}/${t.taskId}`;
      appendLogEvents(
        this.sandbox.region(this.accountOf(r), c.logRegion ?? region),
        c.logGroup,
        stream,
        lines.map((message, i) => ({ timestamp: at + i, message })),
        at + 200,
        () => this.sandbox.random.digits(56),
      );
    }
    void r;
  }

  private writeStartupLogs(region: string, r: RegionState, t: EcsTask) {
    const td = findTaskDefinition(
      this.ctx(region, r, t.runningAt),
      t.taskDefinitionArn,
    );
    const port =
      td?.containerDefinitions?.[0]?.portMappings?.[0]?.containerPort;
    this.writeLogs(region, r, t, t.runningAt, [
      `Starting application (task ${t.taskId}, revision ${t.taskDefinitionArn
        .split(':')
        .pop()})`,
      port ? `Listening on 0.0.0.0:${port}` : 'Worker ready',
    ]);
    t.lastLogAt = t.runningAt;
  }

  private writeHeartbeats(
    region: string,
    r: RegionState,
    t: EcsTask,
    now: number,
  ) {
    let last = t.lastLogAt ?? t.runningAt;
    if (now - last < 60_000) return;
    if (now - last > MAX_LOG_BACKFILL_MS) {
      last = now - MAX_LOG_BACKFILL_MS;
    }
    const lines: { at: number; text: string }[] = [];
    for (let at = last + 60_000; at <= now; at += 60_000) {
      const minute = Math.floor(at / 60_000);
      const ms =
        1 +
        Math.floor(
          noise(this.sandbox.state.seed, hashString(t.taskId), minute) * 40,
        );
      lines.push({ at, text: `GET /health 200 ${ms}ms` });
      last = at;
    }
    for (const l of lines) this.writeLogs(region, r, t, l.at, [l.text]);
    t.lastLogAt = last;
  }
}
