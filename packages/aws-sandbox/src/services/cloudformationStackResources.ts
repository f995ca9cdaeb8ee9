/*
 * A stack's events and resources: DescribeStackEvents,
 * DescribeStackResources, DescribeStackResource and ListStackResources, with
 * the drift information detection left on each resource.
 */
import type { Stack, StackResource } from '../stateCloudFormation';
import type { Handler } from './types';
import { validationError } from '../cloudformation/template';
import { resourceDriftInformation } from './cloudformationDrift';
import { pageOf } from './cloudformationRequests';
import { mustFindStack, stacks } from './cloudformationStackRecords';

/** What DescribeStackResource and ListStackResources say of a resource. */
function resourceSummary(r: StackResource) {
  return {
    LogicalResourceId: r.LogicalResourceId,
    PhysicalResourceId: r.PhysicalResourceId,
    ResourceType: r.ResourceType,
    LastUpdatedTimestamp: new Date(r.Timestamp),
    ResourceStatus: r.ResourceStatus,
    ResourceStatusReason: r.ResourceStatusReason,
  };
}

export const stackResourceOperations: Record<string, Handler> = {
  DescribeStackEvents: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    const { page, nextToken } = pageOf(
      stack.events,
      input.NextToken,
      stack.StackId,
    );
    return {
      StackEvents: page.map(e => ({
        ...e,
        Timestamp: new Date(e.Timestamp),
      })),
      NextToken: nextToken,
    };
  },

  DescribeStackResources: (input, ctx) => {
    let stack: Stack | undefined;
    if (input.StackName) stack = mustFindStack(ctx, input.StackName);
    else if (input.PhysicalResourceId) {
      stack = stacks(ctx).find(s =>
        Object.values(s.resources).some(
          r => r.PhysicalResourceId === input.PhysicalResourceId,
        ),
      );
      if (!stack)
        throw validationError(
          `Stack for ${input.PhysicalResourceId} does not exist`,
        );
    } else {
      throw validationError(
        'Either StackName or PhysicalResourceId must be specified.',
      );
    }
    const found = stack;
    return {
      StackResources: Object.values(found.resources)
        .filter(
          r =>
            !input.LogicalResourceId ||
            r.LogicalResourceId === input.LogicalResourceId,
        )
        .map(r => ({
          StackName: found.StackName,
          StackId: found.StackId,
          LogicalResourceId: r.LogicalResourceId,
          PhysicalResourceId: r.PhysicalResourceId,
          ResourceType: r.ResourceType,
          Timestamp: new Date(r.Timestamp),
          ResourceStatus: r.ResourceStatus,
          ResourceStatusReason: r.ResourceStatusReason,
          DriftInformation: resourceDriftInformation(
            found,
            r.LogicalResourceId,
            ctx.now,
          ),
        })),
    };
  },

  DescribeStackResource: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    const r = stack.resources[input.LogicalResourceId];
    if (!r) {
      throw validationError(
        `Resource ${input.LogicalResourceId} does not exist for stack ${stack.StackName}`,
      );
    }
    return {
      StackResourceDetail: {
        StackName: stack.StackName,
        StackId: stack.StackId,
        ...resourceSummary(r),
        Metadata: JSON.stringify((r.definition as any)?.Metadata ?? {}),
        DriftInformation: resourceDriftInformation(
          stack,
          r.LogicalResourceId,
          ctx.now,
        ),
      },
    };
  },

  ListStackResources: (input, ctx) => {
    const stack = mustFindStack(ctx, input.StackName);
    const summaries = Object.values(stack.resources).map(r => ({
      ...resourceSummary(r),
      DriftInformation: resourceDriftInformation(
        stack,
        r.LogicalResourceId,
        ctx.now,
      ),
    }));
    const { page, nextToken } = pageOf(
      summaries,
      input.NextToken,
      stack.StackId,
    );
    return { StackResourceSummaries: page, NextToken: nextToken };
  },
};
