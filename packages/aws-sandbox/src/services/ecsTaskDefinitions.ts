/*
 * ECS task definitions: RegisterTaskDefinition (with Fargate's CPU and memory
 * pairs), DeregisterTaskDefinition, DescribeTaskDefinition and
 * ListTaskDefinitions. Registering and deregistering are shared with
 * CloudFormation; services, tasks and the simulator look revisions up here.
 */
import type { EcsTaskDefinition } from '../stateEcs';
import type { Handler } from './types';
import { arnPrefix, EcsContext, ownRef } from './ecsLookup';
import { clientError } from './ecsErrors';
import { pageOf } from './ecsLists';

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

export const taskDefinitionOperations: Record<string, Handler> = {
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
};
