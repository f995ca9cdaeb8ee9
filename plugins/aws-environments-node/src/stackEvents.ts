import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  Stack,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import { sleep } from '@envplane/plugin-aws-environments-common';

/**
 * The stack, or undefined when CloudFormation does not know it.
 *
 * @public
 */
export async function describeStack(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const stack = Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (isStackMissing(error)) {
      return undefined;
    }
    throw error;
  }
}

export function isStackMissing(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return (
    e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '')
  );
}

/**
 * A stack event of a resource that failed (a `*_FAILED` status).
 *
 * @public
 */
export interface FailingEvent {
  /** The resource's logical id in the template. */
  logicalId: string;
  /** The resource's CloudFormation type, e.g. `AWS::ECS::Service`. */
  resourceType: string;
  /** The failed status, e.g. `CREATE_FAILED`. */
  status: string;
  /** CloudFormation's reason. */
  reason: string;
  /** When the event happened. */
  timestamp?: Date;
}

/**
 * The id of the newest event of the stack, to tell this run's events from
 * earlier ones. Event ids rather than timestamps: CloudFormation's clock
 * (or a sandbox's simulated one) need not agree with ours.
 *
 * @public
 */
export async function latestEventId(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<string | undefined> {
  try {
    const page = await cfn.send(
      new DescribeStackEventsCommand({ StackName: stackName }),
    );
    return page.StackEvents?.[0]?.EventId;
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
}

/** The stack's events newer than `afterEventId` (all when undefined), oldest first. */
export async function eventsAfter(
  cfn: CloudFormationClient,
  stackName: string,
  afterEventId: string | undefined,
): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let NextToken: string | undefined;
  // Events come newest first; stop at the last one seen before the run.
  let reachedOlder = false;
  do {
    let page;
    try {
      page = await cfn.send(
        new DescribeStackEventsCommand({ StackName: stackName, NextToken }),
      );
    } catch (error) {
      if (isStackMissing(error)) break;
      throw error;
    }
    for (const event of page.StackEvents ?? []) {
      if (afterEventId && event.EventId === afterEventId) {
        reachedOlder = true;
        break;
      }
      events.push(event);
    }
    NextToken = page.NextToken;
  } while (NextToken && !reachedOlder);
  return events.reverse();
}

/**
 * This run's *_FAILED events: the resources that caused the failure first,
 * then the "cancelled" knock-on failures.
 *
 * @public
 */
export async function failingEvents(
  cfn: CloudFormationClient,
  stackName: string,
  afterEventId: string | undefined,
): Promise<FailingEvent[]> {
  return failingOf(await eventsAfter(cfn, stackName, afterEventId));
}

/**
 * The *_FAILED events of the stack's latest operation (since its newest
 * stack-level CREATE/UPDATE/IMPORT_IN_PROGRESS event), causes first: what
 * failed when the run that started it is no longer there to say.
 */
export async function latestOperationFailingEvents(
  cfn: CloudFormationClient,
  stack: Pick<Stack, 'StackName' | 'StackId'>,
  maxPages = 10,
): Promise<FailingEvent[]> {
  const handle = stack.StackId ?? stack.StackName ?? '';
  const events: StackEvent[] = [];
  let NextToken: string | undefined;
  let pages = 0;
  let reachedStart = false;
  do {
    let page;
    try {
      page = await cfn.send(
        new DescribeStackEventsCommand({ StackName: handle, NextToken }),
      );
    } catch (error) {
      if (isStackMissing(error)) break;
      throw error;
    }
    for (const event of page.StackEvents ?? []) {
      events.push(event);
      if (
        event.LogicalResourceId === stack.StackName &&
        event.ResourceType === 'AWS::CloudFormation::Stack' &&
        /^(CREATE|UPDATE|IMPORT)_IN_PROGRESS$/.test(event.ResourceStatus ?? '')
      ) {
        reachedStart = true;
        break;
      }
    }
    NextToken = page.NextToken;
    pages += 1;
  } while (NextToken && !reachedStart && pages < maxPages);
  return failingOf(events.reverse());
}

function failingOf(events: StackEvent[]): FailingEvent[] {
  const failing = events
    .filter(e => e.ResourceStatus?.endsWith('_FAILED'))
    .map(e => ({
      logicalId: e.LogicalResourceId ?? '?',
      resourceType: e.ResourceType ?? '?',
      status: e.ResourceStatus ?? '?',
      reason: e.ResourceStatusReason ?? 'no reason given',
      timestamp: e.Timestamp,
    }));
  return causesFirst(failing);
}

/**
 * The resources that caused a failure first, then the knock-on failures
 * ("Resource creation cancelled", the stack's own), each once.
 */
export function causesFirst(events: FailingEvent[]): FailingEvent[] {
  const seen = new Set<string>();
  const unique = events.filter(e => {
    const key = `${e.logicalId}\0${e.status}\0${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const knockOn = (e: FailingEvent) =>
    /cancelled|canceled/i.test(e.reason) ||
    e.resourceType === 'AWS::CloudFormation::Stack';
  return [...unique.filter(e => !knockOn(e)), ...unique.filter(knockOn)];
}

export function formatFailingEvents(events: FailingEvent[]): string {
  return events
    .map(e => `${e.logicalId} (${e.resourceType}) ${e.status}: ${e.reason}`)
    .join('\n');
}

/**
 * The result of {@link deleteStackAndWait}.
 *
 * @public
 */
export interface DeleteStackResult {
  /** False when there was no stack to delete. */
  existed: boolean;
}

/**
 * DeleteStack, then poll until CloudFormation reports the stack gone,
 * logging each resource deletion. Throws with the failing events when the
 * deletion fails.
 *
 * @public
 */
export async function deleteStackAndWait(
  cfn: CloudFormationClient,
  stackName: string,
  options: {
    logger: LoggerService;
    pollIntervalMs: number;
    /** Give up after this long. Default one hour (NAT gateways are slow). */
    timeoutMs?: number;
    signal?: AbortSignal;
  },
): Promise<DeleteStackResult> {
  const existing = await describeStack(cfn, stackName);
  if (!existing) {
    return { existed: false };
  }
  // Delete by ARN from here on: after deletion the name no longer resolves,
  // the ARN still returns DELETE_COMPLETE.
  const stackId = existing.StackId ?? stackName;
  const before = await latestEventId(cfn, stackId);
  await cfn.send(new DeleteStackCommand({ StackName: stackId }));
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  const seen = new Set<string>();
  for (;;) {
    if (options.signal?.aborted) {
      throw new Error(`stopped waiting for ${stackName} to be deleted`);
    }
    const stack = await describeStack(cfn, stackId);
    await logNewEvents(cfn, stackId, before, seen, options.logger, stackName);
    if (!stack) {
      return { existed: true };
    }
    if (stack.StackStatus === 'DELETE_FAILED') {
      const failures = await failingEvents(cfn, stackId, before);
      throw new Error(
        `deleting ${stackName} failed: ${
          stack.StackStatusReason ?? ''
        }\n${formatFailingEvents(failures)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${stackName} was not deleted in time (${stack.StackStatus})`,
      );
    }
    await sleep(options.pollIntervalMs, options.signal);
  }
}

async function logNewEvents(
  cfn: CloudFormationClient,
  stackId: string,
  before: string | undefined,
  seen: Set<string>,
  logger: LoggerService,
  stackName: string,
) {
  const fresh = (await eventsAfter(cfn, stackId, before)).filter(
    e => e.EventId && !seen.has(e.EventId),
  );
  for (const event of fresh) {
    seen.add(event.EventId!);
    const line = `${stackName}: ${event.LogicalResourceId} (${
      event.ResourceType
    }) ${event.ResourceStatus}${
      event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : ''
    }`;
    if (event.ResourceStatus?.endsWith('_FAILED')) {
      logger.error(line);
    } else {
      logger.info(line);
    }
  }
}
