/*
 * A task's life in the simulator: launched for a deployment, it goes
 * PROVISIONING -> PENDING -> RUNNING over a few seconds, fails if its awslogs
 * log group is missing or a crash-loop fault names its service, and reaches
 * STOPPED a few seconds after it is asked to stop.
 */
import type { EcsWorld } from '../world';
import type { RegionState } from '../state';
import type { EcsDeployment, EcsService, EcsTask } from '../stateEcs';
import { lastSegment } from '../services/ecsLookup';
import { findTaskDefinition } from '../services/ecsTaskDefinitions';
import { createLogGroup } from '../services/logsGroups';
import { randomHost } from '../services/ec2Network';
import type { EcsTaskIndex } from './ecsTaskIndex';
import { accountOf, simulatorContext } from './ecsSimulatorContext';
import { placeTask } from './ecsPlacement';
import { onTaskFailed } from './ecsCircuitBreaker';
import { writeHeartbeats, writeLogs, writeStartupLogs } from './ecsTaskLogs';

export function crashFault(
  sandbox: EcsWorld,
  t: {
    clusterName: string;
    serviceName?: string;
    taskDefinitionArn: string;
  },
) {
  return sandbox.state.faults.find(
    f =>
      f.type === 'crashloop' &&
      f.service === t.serviceName &&
      (!f.cluster || lastSegment(f.cluster) === t.clusterName) &&
      (!f.taskDefinition ||
        t.taskDefinitionArn === f.taskDefinition ||
        t.taskDefinitionArn.endsWith(`/${f.taskDefinition}`)),
  );
}

export function launchTask(
  sandbox: EcsWorld,
  index: EcsTaskIndex,
  region: string,
  r: RegionState,
  svc: EcsService,
  dep: EcsDeployment,
  now: number,
): EcsTask | undefined {
  const ctx = simulatorContext(sandbox, region, r, now);
  const td = findTaskDefinition(ctx, dep.taskDefinition);
  if (!td) return undefined;
  const rnd = sandbox.random;
  const taskId = rnd.hex(32);
  const place = placeTask(sandbox, index, region, r, svc, now);
  const pendingAt = now + 2000 + rnd.int(0, 2000);
  const runningAt = pendingAt + 4000 + rnd.int(0, 4000);
  const account = accountOf(sandbox, r);
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
    const logRegion = sandbox.region(account, c.logRegion ?? region);
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
  if (!task.failReason && crashFault(sandbox, task)) {
    task.failAt = runningAt + 2000 + rnd.int(0, 4000);
    task.failReason = 'crash';
  }
  r.ecs.tasks[taskArn] = task;
  index.add(r, task);
  return task;
}

export function advanceTask(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  t: EcsTask,
  now: number,
) {
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
    if (t.failAt !== undefined && t.failAt <= t.runningAt && now >= t.failAt) {
      failTask(sandbox, region, r, t, t.failAt);
      return;
    }
    if (now >= t.runningAt) {
      t.lastStatus = 'RUNNING';
      t.pullStoppedAt = t.runningAt - 1200;
      t.startedAt = t.runningAt;
      t.version++;
      for (const c of t.containers) c.lastStatus = 'RUNNING';
      writeStartupLogs(sandbox, region, r, t);
      const svc = serviceOf(r, t);
      if (svc && t.failAt === undefined) svc.consecutiveFailures = 0;
    }
  }
  if (t.lastStatus === 'RUNNING') {
    writeHeartbeats(sandbox, region, r, t, Math.min(now, t.failAt ?? now));
    if (t.failAt !== undefined && now >= t.failAt)
      failTask(sandbox, region, r, t, t.failAt);
  }
}

function serviceOf(r: RegionState, t: EcsTask): EcsService | undefined {
  if (!t.serviceName) return undefined;
  return r.ecs.services[`${t.clusterName}/${t.serviceName}`];
}

/** The task's essential container exited (crash) or it could not start. */
function failTask(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  t: EcsTask,
  at: number,
) {
  if (t.failReason === 'logger') {
    const group = t.containers.find(c => c.logGroup)?.logGroup;
    stopTask(
      t,
      at,
      `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1${
        group ? '' : ''
      }`,
      'TaskFailedToStart',
      true,
    );
  } else {
    writeLogs(sandbox, region, r, t, at, [
      'Error: unhandled exception in main loop',
      `Process exited with code 1`,
    ]);
    for (const c of t.containers) {
      if (c.essential) c.exitCode = 1;
    }
    stopTask(
      t,
      at,
      'Essential container in task exited',
      'EssentialContainerExited',
      true,
    );
  }
  const svc = serviceOf(r, t);
  if (svc) onTaskFailed(sandbox, region, r, svc, t, at);
}

/** Asks a task to stop; it reaches STOPPED a few seconds later. */
export function stopTask(
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
