/*
 * How ECS's calls and the CloudFormation resources find what a request names:
 * a cluster or service by name or ARN, refused when the ARN is another
 * account's, and the ARN prefix of what the caller creates.
 */
import type { EcsCluster, EcsService } from '../stateEcs';
import type { ModelContext } from './types';
import { arnAccount } from '../arn';
import { clusterNotFound, invalidParam } from './ecsErrors';

export type EcsContext = ModelContext;

export const arnPrefix = (ctx: EcsContext) =>
  `arn:aws:ecs:${ctx.region}:${ctx.caller.account}`;

/**
 * ECS refuses an identifier of another account before looking anything up,
 * in the shape of its cluster-mismatch answer ("Identifier is for cluster a.
 * Your cluster is b"), rather than reporting the resource missing.
 */
export function ownRef<T>(ctx: EcsContext, ref: T): T {
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

export const serviceKey = (cluster: string, service: string) =>
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
