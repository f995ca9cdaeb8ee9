/*
 * ECS tasks as the API shows them: ListTasks, DescribeTasks (with the ENI
 * attachment of awsvpc tasks) and StopTask. The simulator launches and moves
 * them along.
 */
import type { EcsCluster, EcsTask } from '../stateEcs';
import type { Handler } from './types';
import {
  EcsContext,
  findService,
  getCluster,
  lastSegment,
  ownRef,
} from './ecsLookup';
import { invalidParam, serviceNotFound } from './ecsErrors';
import { pageOf } from './ecsLists';
import { findTaskDefinition } from './ecsTaskDefinitions';

function taskOutput(ctx: EcsContext, t: EcsTask) {
  const date = (v?: number) => (v === undefined ? undefined : new Date(v));
  const eniId = `eni-${t.taskId.slice(0, 17)}`;
  const attachmentId = `${t.taskId.slice(0, 8)}-${t.taskId.slice(
    8,
    12,
  )}-${t.taskId.slice(12, 16)}-${t.taskId.slice(16, 20)}-${t.taskId.slice(
    20,
    32,
  )}`;
  const td = findTaskDefinition(ctx, t.taskDefinitionArn);
  const awsvpc = td?.networkMode === 'awsvpc';
  return {
    attachments: awsvpc
      ? [
          {
            id: attachmentId,
            type: 'ElasticNetworkInterface',
            status: attachmentStatus(t.lastStatus),
            details: [
              {
                name: 'subnetId',
                value: t.subnetId ?? 'subnet-00000000000000000',
              },
              { name: 'networkInterfaceId', value: eniId },
              {
                name: 'macAddress',
                value: `0a:${t.taskId.slice(0, 10).match(/../g)!.join(':')}`,
              },
              {
                name: 'privateDnsName',
                value: `ip-${t.privateIp.replace(/\./g, '-')}.ec2.internal`,
              },
              { name: 'privateIPv4Address', value: t.privateIp },
            ],
          },
        ]
      : [],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: t.availabilityZone,
    clusterArn: t.clusterArn,
    connectivity: t.lastStatus === 'PROVISIONING' ? undefined : 'CONNECTED',
    connectivityAt:
      t.lastStatus === 'PROVISIONING' ? undefined : date(t.pendingAt),
    containers: t.containers.map(c => ({
      containerArn: c.containerArn,
      taskArn: t.taskArn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      networkInterfaces: awsvpc
        ? [{ attachmentId, privateIpv4Address: t.privateIp }]
        : [],
      healthStatus: 'UNKNOWN',
      cpu: c.cpu,
      memory: c.memory,
    })),
    cpu: t.cpu,
    memory: t.memory,
    createdAt: date(t.createdAt),
    desiredStatus: t.desiredStatus,
    enableExecuteCommand: false,
    group: t.group,
    healthStatus: 'UNKNOWN',
    lastStatus: t.lastStatus,
    launchType: t.launchType,
    platformVersion: t.launchType === 'FARGATE' ? '1.4.0' : undefined,
    platformFamily: t.launchType === 'FARGATE' ? 'Linux' : undefined,
    pullStartedAt: date(t.pullStartedAt),
    pullStoppedAt: date(t.pullStoppedAt),
    startedAt: date(t.startedAt),
    startedBy: t.startedBy,
    stopCode: t.stopCode,
    stoppedAt: date(t.stoppedAt),
    stoppedReason: t.stoppedReason,
    stoppingAt: date(t.stoppingAt),
    taskArn: t.taskArn,
    taskDefinitionArn: t.taskDefinitionArn,
    version: t.version,
    ephemeralStorage: { sizeInGiB: 20 },
  };
}

function attachmentStatus(lastStatus: string): string {
  if (lastStatus === 'STOPPED') return 'DELETED';
  if (lastStatus === 'PROVISIONING') return 'PRECREATED';
  return 'ATTACHED';
}

function findTask(ctx: EcsContext, cluster: EcsCluster, ref: string) {
  const id = lastSegment(ownRef(ctx, ref));
  const t = Object.values(ctx.regionState.ecs.tasks).find(
    x => x.taskId === id && x.clusterName === cluster.clusterName,
  );
  return t;
}

export const taskOperations: Record<string, Handler> = {
  ListTasks: (input, ctx) => {
    const cluster = getCluster(ctx, input.cluster);
    if (input.serviceName) {
      const svc = findService(ctx, cluster, String(input.serviceName));
      if (!svc) throw serviceNotFound();
    }
    const desired = input.desiredStatus ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desired)) {
      throw invalidParam(`Invalid desiredStatus: ${desired}`);
    }
    const serviceName = input.serviceName
      ? lastSegment(input.serviceName)
      : undefined;
    const arns = Object.values(ctx.regionState.ecs.tasks)
      .filter(
        t =>
          t.clusterName === cluster.clusterName &&
          (desired === 'PENDING'
            ? t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING'
            : t.desiredStatus === desired) &&
          (!serviceName || t.serviceName === serviceName) &&
          (!input.family ||
            t.taskDefinitionArn.includes(`/${input.family}:`)) &&
          (!input.startedBy || t.startedBy === input.startedBy) &&
          (!input.launchType || t.launchType === input.launchType),
      )
      .sort(
        (a, b) => a.createdAt - b.createdAt || (a.taskId < b.taskId ? -1 : 1),
      )
      .map(t => t.taskArn);
    const { page, nextToken } = pageOf(
      arns,
      input,
      `${cluster.clusterName}|${serviceName}|${desired}`,
    );
    return { taskArns: page, nextToken };
  },

  DescribeTasks: (input, ctx) => {
    const cluster = getCluster(ctx, input.cluster);
    const refs = input.tasks;
    if (!Array.isArray(refs) || refs.length === 0) {
      throw invalidParam('Tasks cannot be empty.');
    }
    if (refs.length > 100) {
      throw invalidParam('Tasks cannot have more than 100 elements');
    }
    const tasks = [];
    const failures = [];
    for (const ref of refs) {
      const t = findTask(ctx, cluster, String(ref));
      if (t) tasks.push(taskOutput(ctx, t));
      else failures.push({ arn: String(ref), reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  StopTask: (input, ctx) => {
    const cluster = getCluster(ctx, input.cluster);
    const t = findTask(ctx, cluster, String(input.task ?? ''));
    if (!t) throw invalidParam('The referenced task was not found.');
    ctx.sandbox.ecs.stopTask(
      t,
      ctx.now,
      input.reason ?? 'Task stopped by user',
      'UserInitiated',
    );
    return { task: taskOutput(ctx, t) };
  },
};
