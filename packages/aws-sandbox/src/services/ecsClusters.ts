/*
 * ECS clusters: CreateCluster, DeleteCluster, ListClusters and
 * DescribeClusters (with STATISTICS and TAGS). createCluster and deleteCluster
 * are shared with CloudFormation.
 */
import { AwsError } from '../protocol/errors';
import type { EcsCluster, EcsService } from '../stateEcs';
import type { Handler } from './types';
import {
  arnPrefix,
  EcsContext,
  getCluster,
  lastSegment,
  ownRef,
} from './ecsLookup';
import { invalidParam } from './ecsErrors';
import { missing, pageOf } from './ecsLists';

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

export const clusterOperations: Record<string, Handler> = {
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
};
