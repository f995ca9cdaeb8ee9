/*
 * CloudFormation's stack calls: CreateStack, UpdateStack and DeleteStack,
 * which validate and hand the stack to the engine, CancelUpdateStack,
 * DescribeStacks, ListStacks, ListExports and UpdateTerminationProtection.
 */
import { AwsError } from '../protocol/errors';
import { queryBool } from '../protocol/awsQuery';
import type { Stack } from '../stateCloudFormation';
import type { Handler } from './types';
import { parseTemplate, validationError } from '../cloudformation/template';
import { nothingChanged } from '../cloudformation/changeSets';
import { stackDriftInformation } from './cloudformationDrift';
import { date, list, op, pageOf } from './cloudformationRequests';
import {
  assertUpdatable,
  checkStackName,
  findStack,
  mustFindStack,
  newStack,
  stacks,
} from './cloudformationStackRecords';
import { prepare } from './cloudformationDeployments';

function stackOutput(s: Stack, now: number) {
  let description: string | undefined;
  try {
    description = s.templateBody
      ? parseTemplate(s.templateBody).Description
      : undefined;
  } catch {
    description = undefined;
  }
  return {
    StackId: s.StackId,
    StackName: s.StackName,
    Description: description,
    Parameters: s.Parameters,
    CreationTime: date(s.CreationTime),
    DeletionTime: date(s.DeletionTime),
    LastUpdatedTime: date(s.LastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: s.StackStatus,
    StackStatusReason: s.StackStatusReason,
    DisableRollback: s.DisableRollback,
    NotificationARNs: s.NotificationARNs,
    Capabilities: s.Capabilities,
    Outputs: s.Outputs,
    RoleARN: s.RoleARN,
    Tags: s.Tags,
    EnableTerminationProtection: s.EnableTerminationProtection,
    DriftInformation: stackDriftInformation(s, now),
  };
}

export const stackOperations: Record<string, Handler> = {
  CreateStack: (input, ctx) => {
    const name = checkStackName(input.StackName);
    const existing = findStack(ctx, name);
    if (existing) {
      throw new AwsError(
        'AlreadyExistsException',
        `Stack [${name}] already exists`,
        400,
        'Sender',
        'AlreadyExistsException',
      );
    }
    const { deployment } = prepare(ctx, input, undefined);
    const stack = newStack(ctx, name, 'CREATE_IN_PROGRESS', input);
    stack.templateBody = deployment.templateBody;
    stack.Parameters = deployment.storedParameters;
    ctx.sandbox.cloudformation.startCreate(stack, deployment, op(ctx));
    return { StackId: stack.StackId };
  },

  UpdateStack: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    assertUpdatable(stack);
    const { deployment } = prepare(ctx, input, stack);
    const oldTemplate = parseTemplate(stack.templateBody);
    if (
      nothingChanged(
        oldTemplate,
        deployment.template,
        stack.Parameters,
        deployment.storedParameters,
        stack.Tags,
        Array.isArray(input.Tags) ? input.Tags : stack.Tags,
      )
    ) {
      throw validationError('No updates are to be performed.');
    }
    if (Array.isArray(input.Capabilities))
      stack.Capabilities = input.Capabilities;
    if (Array.isArray(input.Tags)) stack.Tags = input.Tags;
    ctx.sandbox.cloudformation.startUpdate(stack, deployment, op(ctx));
    return { StackId: stack.StackId };
  },

  DeleteStack: (input, ctx) => {
    const stack = findStack(ctx, input.StackName);
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
    if (stack.EnableTerminationProtection) {
      throw validationError(
        `Stack [${stack.StackName}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    if (stack.StackStatus === 'DELETE_IN_PROGRESS') return undefined;
    if (stack.busy) {
      throw validationError(
        `Stack [${stack.StackName}] cannot be deleted while in status ${stack.StackStatus}`,
      );
    }
    if (
      stack.StackStatus === 'REVIEW_IN_PROGRESS' &&
      Object.keys(stack.resources).length === 0
    ) {
      ctx.sandbox.cloudformation.stackEvent(stack, 'DELETE_COMPLETE');
      stack.DeletionTime = ctx.now;
      stack.changeSets = {};
      return undefined;
    }
    ctx.sandbox.cloudformation.startDelete(
      stack,
      op(ctx),
      list(input.RetainResources),
    );
    return undefined;
  },

  CancelUpdateStack: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    // Only an update still applying its resources can be cancelled: not its
    // cleanup, a rollback or another operation. Asking again before the
    // update has stopped is a retry, and succeeds.
    if (stack.StackStatus !== 'UPDATE_IN_PROGRESS') {
      throw validationError(
        'CancelUpdateStack cannot be called from current stack status',
      );
    }
    stack.cancelRequested = true;
    return undefined;
  },

  DescribeStacks: (input, ctx) => {
    if (input.StackName) {
      return {
        Stacks: [stackOutput(mustFindStack(ctx, input.StackName), ctx.now)],
      };
    }
    const live = stacks(ctx).filter(s => s.StackStatus !== 'DELETE_COMPLETE');
    const { page, nextToken } = pageOf(live, input.NextToken);
    return {
      Stacks: page.map(s => stackOutput(s, ctx.now)),
      NextToken: nextToken,
    };
  },

  ListStacks: (input, ctx) => {
    const filter: string[] | undefined = list<string>(input.StackStatusFilter)
      .length
      ? input.StackStatusFilter
      : undefined;
    const summaries = [...stacks(ctx)]
      .reverse()
      .filter(s => !filter || filter.includes(s.StackStatus))
      .map(s => ({
        StackId: s.StackId,
        StackName: s.StackName,
        TemplateDescription: (() => {
          try {
            return s.templateBody
              ? parseTemplate(s.templateBody).Description
              : undefined;
          } catch {
            return undefined;
          }
        })(),
        CreationTime: date(s.CreationTime),
        LastUpdatedTime: date(s.LastUpdatedTime),
        DeletionTime: date(s.DeletionTime),
        StackStatus: s.StackStatus,
        StackStatusReason: s.StackStatusReason,
        DriftInformation: stackDriftInformation(s, ctx.now),
      }));
    const { page, nextToken } = pageOf(
      summaries,
      input.NextToken,
      (filter ?? []).join(','),
    );
    return { StackSummaries: page, NextToken: nextToken };
  },

  ListExports: (input, ctx) => {
    const exportList = Object.entries(
      ctx.regionState.cloudformation.exports,
    ).map(([Name, e]) => ({
      ExportingStackId: e.stackId,
      Name,
      Value: e.value,
    }));
    const { page, nextToken } = pageOf(exportList, input.NextToken);
    return { Exports: page, NextToken: nextToken };
  },

  UpdateTerminationProtection: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    stack.EnableTerminationProtection =
      queryBool(input.EnableTerminationProtection) ?? false;
    return { StackId: stack.StackId };
  },
};
