import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  Deployment,
  DesiredStatus,
  ListTasksCommand,
  Service,
  Task,
} from '@aws-sdk/client-ecs';
import {
  EcsServiceSummary,
  EcsTaskSummary,
  EnvironmentError,
} from '@envplane/plugin-aws-environments-common';
import { ReadContext } from './readContext';
import { toEnvironmentError } from './toEnvironmentError';

/** ListTasks pages hold at most 100 ARNs, and DescribeTasks takes 100. */
const PAGE = 100;
/**
 * Running tasks listed per environment. The counts come from the service
 * itself; the list is for the table, so two pages are plenty and keep the
 * number of calls fixed for large services.
 */
const MAX_RUNNING_TASKS = 200;
/** Service events shown; ECS keeps the latest 100. */
const EVENT_LIMIT = 10;
/** Task definitions never change, so their image is cached for a day. */
const TASK_DEFINITION_TTL_MS = 24 * 3600_000;

export interface EcsReadResult {
  service?: EcsServiceSummary;
  tasks: EcsTaskSummary[];
  /** Set when any ECS call failed; `service` and `tasks` hold what was read. */
  error?: EnvironmentError;
}

const iso = (date?: Date) => date?.toISOString();

export function revisionOf(taskDefinitionArn?: string): number | undefined {
  const match = /:(\d+)$/.exec(taskDefinitionArn ?? '');
  return match ? Number(match[1]) : undefined;
}

function deploymentSummary(d: Deployment) {
  return {
    id: d.id ?? 'unknown',
    status: d.status ?? 'UNKNOWN',
    taskDefinitionRevision: revisionOf(d.taskDefinition),
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

function serviceSummary(
  service: Service,
  clusterName: string,
  image: string | undefined,
): EcsServiceSummary {
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  return {
    serviceName: service.serviceName ?? 'unknown',
    clusterName,
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    launchType: service.launchType,
    taskDefinitionRevision: revisionOf(service.taskDefinition),
    image,
    deployments: (service.deployments ?? []).map(deploymentSummary),
    circuitBreaker: breaker
      ? { enable: breaker.enable ?? false, rollback: breaker.rollback ?? false }
      : undefined,
    events: (service.events ?? []).slice(0, EVENT_LIMIT).map(e => ({
      id: e.id ?? '',
      createdAt: iso(e.createdAt) ?? '',
      message: e.message ?? '',
    })),
  };
}

export function taskSummary(task: Task): EcsTaskSummary {
  const taskArn = task.taskArn ?? '';
  return {
    taskArn,
    taskId: taskArn.split('/').pop() ?? taskArn,
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    healthStatus: task.healthStatus,
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    containers: (task.containers ?? []).map(c => ({
      name: c.name ?? 'unknown',
      exitCode: c.exitCode,
      reason: c.reason,
      image: c.image,
      lastStatus: c.lastStatus,
      healthStatus: c.healthStatus,
    })),
    availabilityZone: task.availabilityZone,
    startedAt: iso(task.startedAt),
    stoppedAt: iso(task.stoppedAt),
    taskDefinitionRevision: revisionOf(task.taskDefinitionArn),
  };
}

async function listTaskArns(
  ctx: ReadContext,
  desiredStatus: DesiredStatus,
  max: number,
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.clients.ecs.send(
      new ListTasksCommand({
        cluster: ctx.names.clusterName,
        serviceName: ctx.names.serviceName,
        desiredStatus,
        maxResults: Math.min(PAGE, max - arns.length),
        nextToken,
      }),
      { abortSignal: ctx.abortSignal },
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken && arns.length < max);
  return arns;
}

async function describeTasks(
  ctx: ReadContext,
  arns: string[],
): Promise<Task[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < arns.length; i += PAGE) {
    chunks.push(arns.slice(i, i + PAGE));
  }
  const pages = await Promise.all(
    chunks.map(tasks =>
      ctx.clients.ecs.send(
        new DescribeTasksCommand({ cluster: ctx.names.clusterName, tasks }),
        { abortSignal: ctx.abortSignal },
      ),
    ),
  );
  return pages.flatMap(p => p.tasks ?? []);
}

/** Image of the app container of a task definition, cached by ARN. */
async function imageOf(
  ctx: ReadContext,
  taskDefinitionArn: string,
): Promise<string | undefined> {
  const key = `task-definition-image:${taskDefinitionArn}`;
  const cached = await ctx.cache.get<string>(key);
  if (cached !== undefined) {
    return cached || undefined;
  }
  const { taskDefinition } = await ctx.clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
    { abortSignal: ctx.abortSignal },
  );
  const containers = taskDefinition?.containerDefinitions ?? [];
  const app =
    containers.find(c => c.name === ctx.names.containerName) ??
    containers.find(c => c.essential !== false) ??
    containers[0];
  const image = app?.image ?? '';
  await ctx.cache.set(key, image, { ttl: TASK_DEFINITION_TTL_MS });
  return image || undefined;
}

function newestFirst(a: EcsTaskSummary, b: EcsTaskSummary): number {
  const at = a.stoppedAt ?? a.startedAt ?? '';
  const bt = b.stoppedAt ?? b.startedAt ?? '';
  return bt.localeCompare(at);
}

/**
 * Reads the service and its tasks with a fixed number of calls however many
 * tasks run: DescribeServices and two ListTasks in parallel, then
 * DescribeTasks in chunks of 100 and the (cached) task definition. Without
 * `runningTasks` only stopped tasks are listed: the service's counts say
 * how many run, and the health rules look only at stopped ones, so a
 * summary saves a ListTasks and most of DescribeTasks.
 * Throws when the service itself cannot be described.
 */
export async function readEcs(
  ctx: ReadContext,
  options: { runningTasks: boolean } = { runningTasks: true },
): Promise<EcsReadResult> {
  const { clusterName, serviceName } = ctx.names;
  const context = `ECS service ${serviceName} in cluster ${clusterName}`;
  const [described, running, stopped] = await Promise.allSettled([
    ctx.clients.ecs.send(
      new DescribeServicesCommand({
        cluster: clusterName,
        services: [serviceName],
      }),
      { abortSignal: ctx.abortSignal },
    ),
    options.runningTasks
      ? listTaskArns(ctx, 'RUNNING', MAX_RUNNING_TASKS)
      : Promise.resolve([]),
    listTaskArns(ctx, 'STOPPED', ctx.options.maxStoppedTasks),
  ]);
  if (described.status === 'rejected') {
    throw described.reason;
  }
  const service = described.value.services?.[0];
  if (!service || service.status === 'INACTIVE') {
    const notFound = new Error(`${context} does not exist`);
    notFound.name = 'ServiceNotFoundException';
    throw notFound;
  }

  let error: EnvironmentError | undefined;
  const arns: string[] = [];
  for (const listed of [running, stopped]) {
    if (listed.status === 'fulfilled') {
      arns.push(...listed.value);
    } else {
      error ??= toEnvironmentError(
        listed.reason,
        'ecs',
        `Listing tasks of ${context}`,
      );
    }
  }

  const [tasks, image] = await Promise.allSettled([
    arns.length > 0 ? describeTasks(ctx, arns) : Promise.resolve([]),
    service.taskDefinition
      ? imageOf(ctx, service.taskDefinition)
      : Promise.resolve(undefined),
  ]);
  if (tasks.status === 'rejected') {
    error ??= toEnvironmentError(
      tasks.reason,
      'ecs',
      `Describing tasks of ${context}`,
    );
  }
  if (image.status === 'rejected') {
    error ??= toEnvironmentError(
      image.reason,
      'ecs',
      `Reading task definition ${service.taskDefinition}`,
    );
  }
  return {
    service: serviceSummary(
      service,
      clusterName,
      image.status === 'fulfilled' ? image.value : undefined,
    ),
    tasks:
      tasks.status === 'fulfilled'
        ? tasks.value.map(taskSummary).sort(newestFirst)
        : [],
    error,
  };
}
