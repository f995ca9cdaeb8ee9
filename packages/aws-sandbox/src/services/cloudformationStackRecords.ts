/*
 * The region's stacks as the CloudFormation handlers find, check and add
 * them: lookup by name or id, the stack name rule, whether a stack can be
 * updated, and a new stack's record.
 */
import { queryBool } from '../protocol/awsQuery';
import type { Stack } from '../stateCloudFormation';
import type { RequestContext } from './types';
import { validationError } from '../cloudformation/template';
import { list } from './cloudformationRequests';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

export function stacks(ctx: RequestContext): Stack[] {
  return ctx.regionState.cloudformation.stacks;
}

/** Finds a stack by name (live stacks only) or by id (any, even deleted). */
export function findStack(
  ctx: RequestContext,
  nameOrId: unknown,
): Stack | undefined {
  if (typeof nameOrId !== 'string' || !nameOrId) return undefined;
  if (nameOrId.startsWith('arn:'))
    return stacks(ctx).find(s => s.StackId === nameOrId);
  return stacks(ctx).find(
    s => s.StackName === nameOrId && s.StackStatus !== 'DELETE_COMPLETE',
  );
}

export function mustFindStack(ctx: RequestContext, nameOrId: unknown): Stack {
  const s = findStack(ctx, nameOrId);
  if (!s) throw validationError(`Stack with id ${nameOrId} does not exist`);
  return s;
}

export function checkStackName(name: unknown): string {
  if (typeof name !== 'string' || !STACK_NAME.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  return name;
}

export function assertUpdatable(stack: Stack) {
  const s = stack.StackStatus;
  if (
    stack.busy ||
    s.endsWith('_IN_PROGRESS') ||
    [
      'ROLLBACK_COMPLETE',
      'ROLLBACK_FAILED',
      'DELETE_FAILED',
      'CREATE_FAILED',
      'UPDATE_ROLLBACK_FAILED',
    ].includes(s)
  ) {
    throw validationError(
      `Stack:${stack.StackId} is in ${s} state and can not be updated.`,
    );
  }
}

export function newStack(
  ctx: RequestContext,
  name: string,
  status: string,
  input: any,
): Stack {
  const id = `arn:aws:cloudformation:${ctx.region}:${
    ctx.caller.account
  }:stack/${name}/${ctx.sandbox.random.uuid()}`;
  const stack: Stack = {
    StackId: id,
    StackName: name,
    StackStatus: status,
    CreationTime: ctx.now,
    DisableRollback:
      queryBool(input.DisableRollback) ?? input.OnFailure === 'DO_NOTHING',
    Capabilities: list(input.Capabilities),
    Tags: list(input.Tags),
    NotificationARNs: list(input.NotificationARNs),
    RoleARN: input.RoleARN,
    EnableTerminationProtection:
      queryBool(input.EnableTerminationProtection) ?? false,
    Parameters: [],
    Outputs: [],
    templateBody: '',
    resources: {},
    events: [],
    changeSets: {},
  };
  stacks(ctx).push(stack);
  return stack;
}
