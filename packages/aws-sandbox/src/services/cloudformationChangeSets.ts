/*
 * CloudFormation's change set calls: CreateChangeSet (contents computed in
 * cloudformation/changeSets.ts), DescribeChangeSet, ListChangeSets,
 * ExecuteChangeSet, which hands the stack to the engine, and DeleteChangeSet.
 */
import { AwsError } from '../protocol/errors';
import { queryBool } from '../protocol/awsQuery';
import type { ChangeSet, Stack } from '../stateCloudFormation';
import type { Handler, RequestContext } from './types';
import {
  parseTemplate,
  resolveParameters,
  Template,
  validationError,
} from '../cloudformation/template';
import { computeChanges, nothingChanged } from '../cloudformation/changeSets';
import type { Deployment } from '../cloudformation/deployment';
import { list, op, pageOf } from './cloudformationRequests';
import {
  assertUpdatable,
  checkStackName,
  findStack,
  mustFindStack,
  newStack,
  stacks,
} from './cloudformationStackRecords';
import { prepare } from './cloudformationDeployments';

export function findChangeSet(
  ctx: RequestContext,
  input: any,
): { stack: Stack; cs: ChangeSet } {
  const ref = input.ChangeSetName;
  if (typeof ref !== 'string' || !ref) {
    throw validationError(
      "1 validation error detected: Value null at 'changeSetName' failed to satisfy constraint: Member must not be null",
    );
  }
  const candidates = ref.startsWith('arn:')
    ? stacks(ctx)
    : [mustFindStack(ctx, input.StackName)];
  for (const stack of candidates) {
    const cs = Object.values(stack.changeSets).find(
      c => c.ChangeSetId === ref || c.ChangeSetName === ref,
    );
    if (cs) return { stack, cs };
  }
  throw new AwsError(
    'ChangeSetNotFoundException',
    `ChangeSet [${ref}] does not exist`,
    404,
    'Sender',
    'ChangeSetNotFound',
  );
}

function parametersKeyed(
  stored: { ParameterKey: string; ParameterValue: string }[],
  t: Template,
) {
  const values: Record<string, string | string[]> = {};
  for (const p of stored) {
    const type = t.Parameters?.[p.ParameterKey]?.Type ?? 'String';
    values[p.ParameterKey] =
      type.startsWith('List<') || type === 'CommaDelimitedList'
        ? p.ParameterValue.split(',')
        : p.ParameterValue;
  }
  return values;
}

export const changeSetOperations: Record<string, Handler> = {
  CreateChangeSet: (input, ctx) => {
    const name = checkStackName(input.StackName);
    const csName = input.ChangeSetName;
    if (
      typeof csName !== 'string' ||
      !/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(csName)
    ) {
      throw validationError(
        `1 validation error detected: Value '${csName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
      );
    }
    const type = input.ChangeSetType ?? 'UPDATE';
    if (type === 'IMPORT') {
      throw validationError(
        'Resource import is not supported by the AWS sandbox.',
      );
    }
    let stack = findStack(ctx, name);
    if (
      type === 'CREATE' &&
      stack &&
      stack.StackStatus !== 'REVIEW_IN_PROGRESS'
    ) {
      throw new AwsError(
        'AlreadyExistsException',
        `Stack [${name}] already exists and cannot be created again with the changeSet [${csName}].`,
        400,
        'Sender',
        'AlreadyExistsException',
      );
    }
    if (type === 'UPDATE') {
      if (!stack || stack.StackStatus === 'REVIEW_IN_PROGRESS') {
        throw validationError(`Stack [${name}] does not exist`);
      }
      assertUpdatable(stack);
    }
    if (
      stack &&
      Object.values(stack.changeSets).some(c => c.ChangeSetName === csName)
    ) {
      throw new AwsError(
        'AlreadyExistsException',
        `ChangeSet [${csName}] already exists`,
        400,
        'Sender',
        'AlreadyExistsException',
      );
    }
    const prepared = prepare(ctx, input, type === 'UPDATE' ? stack : undefined);
    if (!stack) {
      stack = newStack(ctx, name, 'REVIEW_IN_PROGRESS', input);
      ctx.sandbox.cloudformation.stackEvent(
        stack,
        'REVIEW_IN_PROGRESS',
        'User Initiated',
      );
    }
    const target = stack;
    const cs: ChangeSet = {
      ChangeSetId: `arn:aws:cloudformation:${ctx.region}:${
        ctx.caller.account
      }:changeSet/${csName}/${ctx.sandbox.random.uuid()}`,
      ChangeSetName: csName,
      StackId: target.StackId,
      StackName: target.StackName,
      Description: input.Description,
      ChangeSetType: type,
      Status: 'CREATE_PENDING',
      ExecutionStatus: 'UNAVAILABLE',
      CreationTime: ctx.now,
      templateBody: prepared.body,
      parameters: prepared.deployment.storedParameters,
      capabilities: list(input.Capabilities),
      tags: Array.isArray(input.Tags) ? input.Tags : target.Tags,
      notificationARNs: list(input.NotificationARNs),
      roleARN: input.RoleARN,
      changes: [],
      disableRollback: prepared.deployment.disableRollback,
    };
    target.changeSets[cs.ChangeSetId] = cs;
    // Change sets are computed asynchronously, as in AWS.
    setTimeout(() => {
      try {
        cs.Status = 'CREATE_IN_PROGRESS';
        const oldTemplate =
          type === 'UPDATE' ? parseTemplate(target.templateBody) : undefined;
        cs.changes = computeChanges({
          stack: target,
          oldTemplate,
          oldParameters: oldTemplate
            ? parametersKeyed(target.Parameters, oldTemplate)
            : {},
          newTemplate: prepared.template,
          newParameters: prepared.deployment.parameters,
          region: ctx.region,
          account: ctx.caller.account,
          exports: ctx.regionState.cloudformation.exports,
        });
        if (
          oldTemplate &&
          cs.changes.length === 0 &&
          nothingChanged(
            oldTemplate,
            prepared.template,
            target.Parameters,
            cs.parameters,
            target.Tags,
            cs.tags,
          )
        ) {
          cs.Status = 'FAILED';
          cs.StatusReason =
            "The submitted information didn't contain changes. Submit different information to create a change set.";
          cs.ExecutionStatus = 'UNAVAILABLE';
        } else {
          cs.Status = 'CREATE_COMPLETE';
          cs.ExecutionStatus = 'AVAILABLE';
        }
      } catch (e) {
        cs.Status = 'FAILED';
        cs.StatusReason = (e as Error).message;
      }
      ctx.sandbox.changed();
    }, Math.min(ctx.sandbox.resourceDelayMs, 50)).unref();
    return { Id: cs.ChangeSetId, StackId: target.StackId };
  },

  DescribeChangeSet: (input, ctx) => {
    const { stack, cs } = findChangeSet(ctx, input);
    const { page, nextToken } = pageOf(
      cs.changes,
      input.NextToken,
      cs.ChangeSetId,
      1000,
    );
    return {
      ChangeSetName: cs.ChangeSetName,
      ChangeSetId: cs.ChangeSetId,
      StackId: stack.StackId,
      StackName: stack.StackName,
      Description: cs.Description,
      Parameters: cs.parameters,
      CreationTime: new Date(cs.CreationTime),
      ExecutionStatus: cs.ExecutionStatus,
      Status: cs.Status,
      StatusReason: cs.StatusReason,
      NotificationARNs: cs.notificationARNs,
      RollbackConfiguration: {},
      Capabilities: cs.capabilities,
      Tags: cs.tags,
      Changes: page,
      NextToken: nextToken,
      IncludeNestedStacks: false,
    };
  },

  ListChangeSets: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    return {
      Summaries: Object.values(stack.changeSets).map(cs => ({
        StackId: stack.StackId,
        StackName: stack.StackName,
        ChangeSetId: cs.ChangeSetId,
        ChangeSetName: cs.ChangeSetName,
        ExecutionStatus: cs.ExecutionStatus,
        Status: cs.Status,
        StatusReason: cs.StatusReason,
        CreationTime: new Date(cs.CreationTime),
        Description: cs.Description,
        IncludeNestedStacks: false,
      })),
    };
  },

  ExecuteChangeSet: (input, ctx) => {
    const { stack, cs } = findChangeSet(ctx, input);
    if (cs.ExecutionStatus !== 'AVAILABLE' || cs.Status !== 'CREATE_COMPLETE') {
      throw new AwsError(
        'InvalidChangeSetStatusException',
        `ChangeSet [${cs.ChangeSetId}] cannot be executed in its current status of [${cs.Status}]`,
        400,
        'Sender',
        'InvalidChangeSetStatus',
      );
    }
    if (cs.ChangeSetType === 'UPDATE') assertUpdatable(stack);
    const template = parseTemplate(cs.templateBody);
    const { values, stored } = resolveParameters(
      template,
      cs.parameters.map(p => ({
        ParameterKey: p.ParameterKey,
        ParameterValue: p.ParameterValue,
      })),
      stack.Parameters,
      ctx.regionState,
    );
    const deployment: Deployment = {
      template,
      templateBody: cs.templateBody,
      parameters: values,
      storedParameters: stored,
      disableRollback: queryBool(input.DisableRollback) ?? cs.disableRollback,
    };
    cs.ExecutionStatus = 'EXECUTE_IN_PROGRESS';
    // Executing a change set removes the stack's other change sets.
    stack.changeSets = { [cs.ChangeSetId]: cs };
    stack.Capabilities = cs.capabilities;
    stack.Tags = cs.tags;
    const done = (ok: boolean) => {
      cs.ExecutionStatus = ok ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    };
    if (cs.ChangeSetType === 'CREATE') {
      ctx.sandbox.cloudformation.startCreate(stack, deployment, op(ctx), done);
    } else {
      ctx.sandbox.cloudformation.startUpdate(stack, deployment, op(ctx), done);
    }
    return {};
  },

  DeleteChangeSet: (input, ctx) => {
    // CloudFormation succeeds when the named stack exists but the change
    // set does not; the CDK CLI relies on it to clear its change set name
    // before creating one. Without StackName an unknown one is an error.
    if (input.StackName) mustFindStack(ctx, input.StackName);
    let found: { stack: Stack; cs: ChangeSet };
    try {
      found = findChangeSet(ctx, input);
    } catch (e) {
      if (
        input.StackName &&
        (e as AwsError).code === 'ChangeSetNotFoundException'
      ) {
        return {};
      }
      throw e;
    }
    const { stack, cs } = found;
    if (cs.ExecutionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new AwsError(
        'InvalidChangeSetStatusException',
        `ChangeSet [${cs.ChangeSetId}] cannot be deleted in its current status of [${cs.ExecutionStatus}]`,
        400,
        'Sender',
        'InvalidChangeSetStatus',
      );
    }
    delete stack.changeSets[cs.ChangeSetId];
    return {};
  },
};
