/*
 * ECS services: CreateService, UpdateService, DeleteService, ListServices and
 * DescribeServices. createService, updateService and deleteService are shared
 * with CloudFormation; the simulator runs the tasks and rolls the deployments.
 */
import { AwsError } from '../protocol/errors';
import type { EcsCluster, EcsDeployment, EcsService } from '../stateEcs';
import type { Handler } from './types';
import {
  arnPrefix,
  EcsContext,
  findService,
  getCluster,
  serviceKey,
} from './ecsLookup';
import { clientError, invalidParam, serviceNotFound } from './ecsErrors';
import { missing, pageOf } from './ecsLists';
import { findTaskDefinition } from './ecsTaskDefinitions';
import {
  defaultDeploymentConfiguration,
  newDeploymentId,
  startDeployment,
} from './ecsDeployments';

function liveService(ctx: EcsContext, cluster: EcsCluster, ref: unknown) {
  if (typeof ref !== 'string' || !ref) throw serviceNotFound();
  const svc = findService(ctx, cluster, ref);
  if (!svc) throw serviceNotFound();
  if (svc.status !== 'ACTIVE') {
    throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  }
  return svc;
}

export function createService(ctx: EcsContext, input: any): EcsService {
  const cluster = getCluster(ctx, input.cluster);
  const name = input.serviceName;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
    throw invalidParam(
      'Service name must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.',
    );
  }
  const key = serviceKey(cluster.clusterName, name);
  const existing = ctx.regionState.ecs.services[key];
  if (existing && existing.status !== 'INACTIVE') {
    throw invalidParam('Creation of service was not idempotent.');
  }
  const td = findTaskDefinition(ctx, input.taskDefinition);
  if (!td) throw clientError('TaskDefinition not found.');
  if (td.status !== 'ACTIVE') {
    throw clientError('TaskDefinition is inactive.');
  }
  const desiredCount =
    input.desiredCount ??
    (input.schedulingStrategy === 'DAEMON' ? 0 : undefined);
  if (desiredCount === undefined || desiredCount < 0) {
    throw invalidParam('desiredCount is required for REPLICA services.');
  }
  if (
    td.networkMode === 'awsvpc' &&
    !input.networkConfiguration?.awsvpcConfiguration
  ) {
    throw invalidParam(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  const launchType =
    input.capacityProviderStrategy?.length > 0
      ? undefined
      : input.launchType ?? 'EC2';
  if (
    launchType === 'FARGATE' &&
    !td.requiresCompatibilities?.includes('FARGATE') &&
    td.networkMode !== 'awsvpc'
  ) {
    throw invalidParam('Task definition does not support launch_type FARGATE.');
  }
  const deployment: EcsDeployment = {
    id: newDeploymentId(ctx),
    status: 'PRIMARY',
    taskDefinition: td.taskDefinitionArn,
    desiredCount,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
  };
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} in progress.`;
  const svc: EcsService = {
    serviceName: name,
    serviceArn: `${arnPrefix(ctx)}:service/${cluster.clusterName}/${name}`,
    clusterName: cluster.clusterName,
    clusterArn: cluster.clusterArn,
    status: 'ACTIVE',
    desiredCount,
    taskDefinition: td.taskDefinitionArn,
    launchType,
    platformVersion:
      launchType === 'FARGATE' ? input.platformVersion ?? 'LATEST' : undefined,
    createdAt: ctx.now,
    createdBy: ctx.caller.arn
      .replace(':sts::', ':iam::')
      .replace(/assumed-role\/([^/]+)\/.*/, 'role/$1'),
    deploymentConfiguration: defaultDeploymentConfiguration(
      input.deploymentConfiguration,
    ),
    networkConfiguration: input.networkConfiguration,
    loadBalancers: input.loadBalancers ?? [],
    serviceRegistries: input.serviceRegistries ?? [],
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds,
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    propagateTags: input.propagateTags ?? 'NONE',
    schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
    deploymentController: input.deploymentController ?? { type: 'ECS' },
    capacityProviderStrategy: input.capacityProviderStrategy,
    tags: input.tags ?? [],
    deployments: [deployment],
    events: [],
    consecutiveFailures: 0,
    nextLaunchAt: ctx.now,
    // Metrics show the service as it was before the sandbox knew it: steady
    // at its desired count for two weeks, then starting from zero.
    runningHistory: [
      [ctx.now - 14 * 86400_000, desiredCount],
      [ctx.now, 0],
    ],
  };
  ctx.regionState.ecs.services[key] = svc;
  ctx.sandbox.ecs.reconcileNow();
  return svc;
}

export function updateService(ctx: EcsContext, input: any): EcsService {
  const cluster = getCluster(ctx, input.cluster);
  const svc = liveService(ctx, cluster, input.service);
  if (input.desiredCount !== undefined) {
    if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
      throw invalidParam('Desired count must be a non-negative integer.');
    }
    svc.desiredCount = input.desiredCount;
    svc.deployments[0].desiredCount = input.desiredCount;
  }
  if (input.deploymentConfiguration) {
    svc.deploymentConfiguration = defaultDeploymentConfiguration({
      ...svc.deploymentConfiguration,
      ...input.deploymentConfiguration,
    });
  }
  if (input.healthCheckGracePeriodSeconds !== undefined) {
    svc.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  }
  let needsDeployment = input.forceNewDeployment === true;
  if (input.networkConfiguration) {
    svc.networkConfiguration = input.networkConfiguration;
    needsDeployment = true;
  }
  if (input.taskDefinition !== undefined) {
    const td = findTaskDefinition(ctx, input.taskDefinition);
    if (!td) throw clientError('TaskDefinition not found.');
    if (td.status !== 'ACTIVE')
      throw clientError('TaskDefinition is inactive.');
    if (td.taskDefinitionArn !== svc.taskDefinition) needsDeployment = true;
    svc.taskDefinition = td.taskDefinitionArn;
  }
  if (needsDeployment) startDeployment(ctx, svc, svc.taskDefinition);
  svc.nextLaunchAt = ctx.now;
  ctx.sandbox.ecs.reconcileNow();
  return svc;
}

export function deleteService(ctx: EcsContext, input: any): EcsService {
  const cluster = getCluster(ctx, input.cluster);
  const svc = liveService(ctx, cluster, input.service);
  if (svc.desiredCount > 0 && !input.force) {
    throw invalidParam(
      'The service cannot be stopped while it is scaled above 0.',
    );
  }
  svc.desiredCount = 0;
  for (const d of svc.deployments) d.desiredCount = 0;
  svc.status = 'DRAINING';
  svc.deletedAt = ctx.now;
  ctx.sandbox.ecs.reconcileNow();
  return svc;
}

function serviceOutput(
  ctx: EcsContext,
  svc: EcsService,
  include: string[] = [],
) {
  const tasks = Object.values(ctx.regionState.ecs.tasks).filter(
    t =>
      t.clusterName === svc.clusterName &&
      t.serviceName === svc.serviceName &&
      t.desiredStatus === 'RUNNING',
  );
  const count = (depId: string | undefined, running: boolean) =>
    tasks.filter(
      t =>
        (depId === undefined || t.deploymentId === depId) &&
        (running ? t.lastStatus === 'RUNNING' : t.lastStatus !== 'RUNNING'),
    ).length;
  return {
    serviceArn: svc.serviceArn,
    serviceName: svc.serviceName,
    clusterArn: svc.clusterArn,
    loadBalancers: svc.loadBalancers,
    serviceRegistries: svc.serviceRegistries,
    status: svc.status,
    desiredCount: svc.desiredCount,
    runningCount: count(undefined, true),
    pendingCount: count(undefined, false),
    launchType: svc.launchType,
    capacityProviderStrategy: svc.capacityProviderStrategy,
    platformVersion: svc.platformVersion,
    platformFamily: svc.launchType === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: svc.taskDefinition,
    deploymentConfiguration: svc.deploymentConfiguration,
    deployments: svc.deployments.map(d => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount,
      pendingCount: count(d.id, false),
      runningCount: count(d.id, true),
      failedTasks: d.failedTasks,
      createdAt: new Date(d.createdAt),
      updatedAt: new Date(d.updatedAt),
      launchType: svc.launchType,
      platformVersion: svc.launchType === 'FARGATE' ? '1.4.0' : undefined,
      platformFamily: svc.launchType === 'FARGATE' ? 'Linux' : undefined,
      networkConfiguration: svc.networkConfiguration,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    })),
    events: svc.events.map(e => ({
      id: e.id,
      createdAt: new Date(e.createdAt),
      message: e.message,
    })),
    createdAt: new Date(svc.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: svc.networkConfiguration,
    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
    schedulingStrategy: svc.schedulingStrategy,
    deploymentController: svc.deploymentController,
    tags: include.includes('TAGS') ? svc.tags : undefined,
    createdBy: svc.createdBy,
    enableECSManagedTags: svc.enableECSManagedTags,
    propagateTags: svc.propagateTags,
    enableExecuteCommand: svc.enableExecuteCommand,
    availabilityZoneRebalancing: 'ENABLED',
  };
}

export const serviceOperations: Record<string, Handler> = {
  CreateService: (input, ctx) => ({
    service: serviceOutput(ctx, createService(ctx, input)),
  }),

  UpdateService: (input, ctx) => ({
    service: serviceOutput(ctx, updateService(ctx, input)),
  }),

  DeleteService: (input, ctx) => ({
    service: serviceOutput(ctx, deleteService(ctx, input)),
  }),

  ListServices: (input, ctx) => {
    const cluster = getCluster(ctx, input.cluster);
    const arns = Object.values(ctx.regionState.ecs.services)
      .filter(
        s =>
          s.clusterName === cluster.clusterName &&
          s.status === 'ACTIVE' &&
          (!input.launchType || s.launchType === input.launchType) &&
          (!input.schedulingStrategy ||
            s.schedulingStrategy === input.schedulingStrategy),
      )
      .sort(
        (a, b) =>
          a.createdAt - b.createdAt || (a.serviceName < b.serviceName ? -1 : 1),
      )
      .map(s => s.serviceArn);
    const { page, nextToken } = pageOf(arns, input, cluster.clusterName, 10);
    return { serviceArns: page, nextToken };
  },

  DescribeServices: (input, ctx) => {
    const refs = input.services;
    if (!Array.isArray(refs) || refs.length === 0) {
      throw invalidParam('Services cannot be empty.');
    }
    if (refs.length > 10) {
      throw invalidParam('service names can have at most 10 items.');
    }
    const cluster = getCluster(ctx, input.cluster);
    const services = [];
    const failures = [];
    for (const ref of refs) {
      const svc = findService(ctx, cluster, String(ref));
      if (svc) services.push(serviceOutput(ctx, svc, input.include ?? []));
      else {
        failures.push(
          missing(
            ref,
            `${arnPrefix(ctx)}:service/${cluster.clusterName}/${ref}`,
          ),
        );
      }
    }
    return { services, failures };
  },
};
