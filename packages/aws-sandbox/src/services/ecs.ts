/*
 * ECS control plane (awsJson1_1, AmazonEC2ContainerServiceV20141113.*).
 * Clusters, task definitions and services are plain records in the state; the
 * simulator (simulation/ecsSimulator.ts) moves tasks and deployments along on
 * the clock. The model functions here are shared with CloudFormation.
 */
import { AwsError } from '../protocol/errors';
import type {
  EcsCluster,
  EcsDeployment,
  EcsService,
  EcsTask,
  EcsTaskDefinition,
} from '../state';
import type { ModelContext, ServiceDefinition } from './types';
import { paginate } from './paging';
import { arnAccount } from '../arn';

export type EcsContext = ModelContext;

const clusterNotFound = () =>
  new AwsError('ClusterNotFoundException', 'Cluster not found.');
const serviceNotFound = () =>
  new AwsError('ServiceNotFoundException', 'Service not found.');
const invalidParam = (m: string) =>
  new AwsError('InvalidParameterException', m);
const clientError = (m: string) => new AwsError('ClientException', m);

const arnPrefix = (ctx: EcsContext) =>
  `arn:aws:ecs:${ctx.region}:${ctx.caller.account}`;

/**
 * ECS refuses an identifier of another account before looking anything up,
 * in the shape of its cluster-mismatch answer ("Identifier is for cluster a.
 * Your cluster is b"), rather than reporting the resource missing.
 */
function ownRef<T>(ctx: EcsContext, ref: T): T {
  const owner = arnAccount(ref);
  if (owner !== undefined && owner !== ctx.caller.account) {
    throw invalidParam(
      `Invalid identifier: Identifier is for ${owner}. Your accountId is ${ctx.caller.account}`,
    );
  }
  return ref;
}

/** Last path segment of an ARN, or the input if it is a bare name. */
export function lastSegment(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const resource = nameOrArn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1];
}

export function getCluster(ctx: EcsContext, ref: unknown): EcsCluster {
  const name = lastSegment(
    typeof ref === 'string' && ref ? ownRef(ctx, ref) : 'default',
  );
  const cluster = ctx.regionState.ecs.clusters[name];
  if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
  return cluster;
}

const serviceKey = (cluster: string, service: string) =>
  `${cluster}/${service}`;

export function findService(
  ctx: EcsContext,
  cluster: EcsCluster,
  ref: string,
): EcsService | undefined {
  return ctx.regionState.ecs.services[
    serviceKey(cluster.clusterName, lastSegment(ownRef(ctx, ref)))
  ];
}

function liveService(ctx: EcsContext, cluster: EcsCluster, ref: unknown) {
  if (typeof ref !== 'string' || !ref) throw serviceNotFound();
  const svc = findService(ctx, cluster, ref);
  if (!svc) throw serviceNotFound();
  if (svc.status !== 'ACTIVE') {
    throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  }
  return svc;
}

// ---- clusters -------------------------------------------------------------

export function createCluster(
  ctx: EcsContext,
  input: {
    clusterName?: string;
    settings?: any[];
    tags?: any[];
    capacityProviders?: string[];
  },
): EcsCluster {
  const name = input.clusterName || 'default';
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
    throw invalidParam(
      'Cluster name must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.',
    );
  }
  const existing = ctx.regionState.ecs.clusters[name];
  if (existing && existing.status === 'ACTIVE') return existing;
  const cluster: EcsCluster = {
    clusterName: name,
    clusterArn: `${arnPrefix(ctx)}:cluster/${name}`,
    status: 'ACTIVE',
    createdAt: ctx.now,
    settings: input.settings ?? [
      { name: 'containerInsights', value: 'disabled' },
    ],
    tags: input.tags ?? [],
    capacityProviders: input.capacityProviders ?? [],
  };
  ctx.regionState.ecs.clusters[name] = cluster;
  return cluster;
}

/** The services or tasks of a cluster. */
function inCluster<T extends { clusterName: string }>(
  all: Record<string, T>,
  cluster: EcsCluster,
): T[] {
  return Object.values(all).filter(x => x.clusterName === cluster.clusterName);
}

export function deleteCluster(ctx: EcsContext, ref: string): EcsCluster {
  const cluster = getCluster(ctx, ref);
  const services = inCluster(ctx.regionState.ecs.services, cluster);
  if (services.some(s => s.status !== 'INACTIVE')) {
    throw new AwsError(
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    );
  }
  const tasks = inCluster(ctx.regionState.ecs.tasks, cluster);
  if (tasks.some(t => t.lastStatus !== 'STOPPED')) {
    throw new AwsError(
      'ClusterContainsTasksException',
      'The Cluster cannot be deleted while Tasks are active.',
    );
  }
  cluster.status = 'INACTIVE';
  return cluster;
}

const PENDING_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING'];

/** Whether a service's tasks run on Fargate (launch type or capacity providers). */
function onFargate(svc: EcsService): boolean {
  if (svc.launchType) return svc.launchType === 'FARGATE';
  return (svc.capacityProviderStrategy ?? []).some((s: any) =>
    /^FARGATE(_SPOT)?$/.test(s?.capacityProvider),
  );
}

/**
 * DescribeClusters' STATISTICS: task and service counts by launch type, as
 * name/value pairs with string values, in the order ECS lists them.
 */
function clusterStatistics(ctx: EcsContext, c: EcsCluster) {
  const tasks = inCluster(ctx.regionState.ecs.tasks, c);
  const services = inCluster(ctx.regionState.ecs.services, c);
  const countTasks = (fargate: boolean, statuses: string[]) =>
    tasks.filter(
      t =>
        (t.launchType === 'FARGATE') === fargate &&
        statuses.includes(t.lastStatus),
    ).length;
  const countServices = (fargate: boolean, status: string) =>
    services.filter(s => onFargate(s) === fargate && s.status === status)
      .length;
  return Object.entries({
    runningEC2TasksCount: countTasks(false, ['RUNNING']),
    runningFargateTasksCount: countTasks(true, ['RUNNING']),
    pendingEC2TasksCount: countTasks(false, PENDING_STATUSES),
    pendingFargateTasksCount: countTasks(true, PENDING_STATUSES),
    activeEC2ServiceCount: countServices(false, 'ACTIVE'),
    activeFargateServiceCount: countServices(true, 'ACTIVE'),
    drainingEC2ServiceCount: countServices(false, 'DRAINING'),
    drainingFargateServiceCount: countServices(true, 'DRAINING'),
  }).map(([name, value]) => ({ name, value: String(value) }));
}

function clusterOutput(ctx: EcsContext, c: EcsCluster, include: string[] = []) {
  const tasks = inCluster(ctx.regionState.ecs.tasks, c);
  const services = inCluster(ctx.regionState.ecs.services, c).filter(
    s => s.status === 'ACTIVE',
  );
  return {
    clusterArn: c.clusterArn,
    clusterName: c.clusterName,
    status: c.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter(t => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter(t =>
      PENDING_STATUSES.includes(t.lastStatus),
    ).length,
    activeServicesCount: services.length,
    statistics: include.includes('STATISTICS') ? clusterStatistics(ctx, c) : [],
    tags: include.includes('TAGS') ? c.tags : [],
    settings: c.settings,
    capacityProviders: c.capacityProviders,
    defaultCapacityProviderStrategy: [],
  };
}

// ---- task definitions -----------------------------------------------------

const FARGATE_MEMORY: Record<string, number[]> = {
  '256': [512, 1024, 2048],
  '512': [1024, 2048, 3072, 4096],
  '1024': [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  '2048': range(4096, 16384, 1024),
  '4096': range(8192, 30720, 1024),
  '8192': range(16384, 61440, 4096),
  '16384': range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** CPU/memory as strings; accepts "0.25 vCPU" / "0.5 GB" forms like AWS. */
function normaliseUnits(value: unknown, kind: 'cpu' | 'memory') {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  const m = /^([\d.]+)\s*(vcpu|gb)$/i.exec(text);
  if (m) {
    const n = Number(m[1]);
    return String(Math.round(kind === 'cpu' ? n * 1024 : n * 1024));
  }
  return text;
}

export function registerTaskDefinition(ctx: EcsContext, input: any) {
  const family = input.family;
  if (typeof family !== 'string' || !/^[a-zA-Z0-9_-]{1,255}$/.test(family)) {
    throw clientError(
      'Family contains invalid characters. Family can contain up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw clientError('Container list cannot be empty.');
  }
  for (const c of containers) {
    if (!c || typeof c.name !== 'string' || !c.name) {
      throw clientError('Container.name should not be null or empty.');
    }
    if (typeof c.image !== 'string' || !c.image) {
      throw clientError('Container.image should not be null or empty.');
    }
  }
  const names = new Set(containers.map((c: any) => c.name));
  if (names.size !== containers.length) {
    throw clientError(
      'Container names must be unique within a task definition.',
    );
  }
  const cpu = normaliseUnits(input.cpu, 'cpu');
  const memory = normaliseUnits(input.memory, 'memory');
  const compat: string[] = input.requiresCompatibilities ?? [];
  const networkMode =
    input.networkMode ?? (compat.includes('FARGATE') ? undefined : 'bridge');
  if (compat.includes('FARGATE')) {
    if (networkMode !== 'awsvpc') {
      throw clientError("Fargate only supports network mode 'awsvpc'.");
    }
    if (!cpu || !memory) {
      throw clientError(
        "Fargate requires that 'cpu' be defined at the task level.",
      );
    }
    if (!FARGATE_MEMORY[cpu]?.includes(Number(memory))) {
      throw clientError(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
  }
  const revisions = (ctx.regionState.ecs.taskDefinitions[family] ??= []);
  const revision = revisions.length + 1;
  const td: EcsTaskDefinition = {
    taskDefinitionArn: `${arnPrefix(
      ctx,
    )}:task-definition/${family}:${revision}`,
    family,
    revision,
    status: 'ACTIVE',
    containerDefinitions: containers.map((c: any) => ({
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      cpu: 0,
      ...c,
      portMappings: (c.portMappings ?? []).map((p: any) => ({
        protocol: 'tcp',
        ...p,
        hostPort:
          p.hostPort ??
          (networkMode === 'awsvpc' ? p.containerPort : undefined),
      })),
    })),
    cpu,
    memory,
    networkMode,
    requiresCompatibilities: compat.length ? compat : undefined,
    executionRoleArn: input.executionRoleArn,
    taskRoleArn: input.taskRoleArn,
    volumes: input.volumes ?? [],
    placementConstraints: input.placementConstraints ?? [],
    runtimePlatform: input.runtimePlatform,
    registeredAt: ctx.now,
    registeredBy: ctx.caller.arn,
    tags: input.tags ?? [],
  };
  revisions.push(td);
  return td;
}

export function findTaskDefinition(
  ctx: EcsContext,
  ref: unknown,
): EcsTaskDefinition | undefined {
  if (typeof ref !== 'string' || !ref) return undefined;
  ownRef(ctx, ref);
  const text = ref.startsWith('arn:')
    ? ref.split(':task-definition/')[1] ?? ''
    : ref;
  const [family, rev] = text.split(':');
  const revisions = ctx.regionState.ecs.taskDefinitions[family];
  if (!revisions) return undefined;
  if (rev !== undefined) return revisions.find(r => r.revision === Number(rev));
  const active = revisions.filter(r => r.status === 'ACTIVE');
  return active[active.length - 1];
}

export function deregisterTaskDefinition(ctx: EcsContext, ref: string) {
  const td = findTaskDefinition(ctx, ref);
  if (!td || !ref.includes(':')) {
    throw clientError('The specified task definition does not exist.');
  }
  td.status = 'INACTIVE';
  td.deregisteredAt = ctx.now;
  return td;
}

function taskDefinitionOutput(td: EcsTaskDefinition) {
  return {
    taskDefinitionArn: td.taskDefinitionArn,
    containerDefinitions: td.containerDefinitions,
    family: td.family,
    taskRoleArn: td.taskRoleArn,
    executionRoleArn: td.executionRoleArn,
    networkMode: td.networkMode,
    revision: td.revision,
    volumes: td.volumes,
    status: td.status,
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
      { name: 'ecs.capability.execution-role-awslogs' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
      ...(td.networkMode === 'awsvpc'
        ? [{ name: 'ecs.capability.task-eni' }]
        : []),
    ],
    placementConstraints: td.placementConstraints,
    compatibilities:
      td.networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EXTERNAL', 'EC2'],
    runtimePlatform: td.runtimePlatform,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
    registeredAt: new Date(td.registeredAt),
    deregisteredAt: td.deregisteredAt ? new Date(td.deregisteredAt) : undefined,
    registeredBy: td.registeredBy,
  };
}

// ---- services -------------------------------------------------------------

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

// ---- tasks ----------------------------------------------------------------

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

function maxResults(value: unknown) {
  if (value === undefined || value === null) return undefined;
  return Number(value);
}

/** One page of a list, as ECS pages them (maxResults up to 100, nextToken). */
function pageOf<T>(
  items: T[],
  input: { maxResults?: unknown; nextToken?: string },
  fingerprint?: string,
  defaultSize = 100,
) {
  return paginate(items, {
    maxResults: maxResults(input.maxResults),
    nextToken: input.nextToken,
    defaultSize,
    maxSize: 100,
    tokenError: 'InvalidParameterException',
    limitError: 'InvalidParameterException',
    fingerprint,
  });
}

/** What a Describe call reports for a reference it did not find. */
function missing(ref: unknown, arn: string) {
  return { arn: String(ref).startsWith('arn:') ? ref : arn, reason: 'MISSING' };
}

export const ecs: ServiceDefinition = {
  name: 'ecs',
  signingName: 'ecs',
  protocol: 'json1.1',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  operations: {
    CreateCluster: (input, ctx) => ({
      cluster: clusterOutput(ctx, createCluster(ctx, input), ['TAGS']),
    }),

    DeleteCluster: (input, ctx) => ({
      cluster: clusterOutput(ctx, deleteCluster(ctx, input.cluster)),
    }),

    ListClusters: (input, ctx) => {
      const arns = Object.values(ctx.regionState.ecs.clusters)
        .filter(c => c.status === 'ACTIVE')
        .map(c => c.clusterArn)
        .sort();
      const { page, nextToken } = pageOf(arns, input);
      return { clusterArns: page, nextToken };
    },

    DescribeClusters: (input, ctx) => {
      const refs: string[] = input.clusters?.length
        ? input.clusters
        : ['default'];
      if (refs.length > 100) {
        throw invalidParam('Clusters cannot have more than 100 elements');
      }
      const clusters = [];
      const failures = [];
      for (const ref of refs) {
        const c =
          ctx.regionState.ecs.clusters[lastSegment(ownRef(ctx, String(ref)))];
        if (c) clusters.push(clusterOutput(ctx, c, input.include ?? []));
        else {
          failures.push(missing(ref, `${arnPrefix(ctx)}:cluster/${ref}`));
        }
      }
      return { clusters, failures };
    },

    RegisterTaskDefinition: (input, ctx) => {
      const td = registerTaskDefinition(ctx, input);
      return { taskDefinition: taskDefinitionOutput(td), tags: td.tags };
    },

    DeregisterTaskDefinition: (input, ctx) => ({
      taskDefinition: taskDefinitionOutput(
        deregisterTaskDefinition(ctx, String(input.taskDefinition ?? '')),
      ),
    }),

    DescribeTaskDefinition: (input, ctx) => {
      const td = findTaskDefinition(ctx, input.taskDefinition);
      if (!td) throw clientError('Unable to describe task definition.');
      return {
        taskDefinition: taskDefinitionOutput(td),
        tags: (input.include ?? []).includes('TAGS') ? td.tags : undefined,
      };
    },

    ListTaskDefinitions: (input, ctx) => {
      const status = input.status ?? 'ACTIVE';
      let arns = Object.values(ctx.regionState.ecs.taskDefinitions)
        .flat()
        .filter(td => td.status === status)
        .filter(
          td => !input.familyPrefix || td.family.startsWith(input.familyPrefix),
        )
        .sort((a, b) =>
          a.family === b.family
            ? a.revision - b.revision
            : a.family.localeCompare(b.family),
        )
        .map(td => td.taskDefinitionArn);
      if (input.sort === 'DESC') arns = arns.reverse();
      const { page, nextToken } = pageOf(arns, input);
      return { taskDefinitionArns: page, nextToken };
    },

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
            a.createdAt - b.createdAt ||
            (a.serviceName < b.serviceName ? -1 : 1),
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

    ListTagsForResource: (input, ctx) => {
      const arn = ownRef(ctx, String(input.resourceArn ?? ''));
      const r = ctx.regionState.ecs;
      const found =
        Object.values(r.clusters).find(c => c.clusterArn === arn) ??
        Object.values(r.services).find(s => s.serviceArn === arn) ??
        Object.values(r.taskDefinitions)
          .flat()
          .find(td => td.taskDefinitionArn === arn);
      if (!found) {
        throw invalidParam('The specified resource could not be found.');
      }
      return { tags: found.tags };
    },
  },
};
