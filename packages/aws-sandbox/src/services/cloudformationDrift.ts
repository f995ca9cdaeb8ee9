/*
 * CloudFormation's drift operations (awsQuery): DetectStackDrift,
 * DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts and
 * DetectStackResourceDrift, over the detection in cloudformation/drift.ts.
 * cloudformation.ts spreads these into its operations; DescribeStacks
 * (cloudformationStacks.ts) and the resource calls
 * (cloudformationStackResources.ts) show the drift information they leave.
 */
import { queryInt } from '../protocol/awsQuery';
import type { Stack, StackResourceDriftResult } from '../stateCloudFormation';
import type { Handler, RequestContext } from './types';
import { paginate } from './paging';
import { validationError } from '../cloudformation/template';
import {
  checkResource,
  currentResults,
  detectionStatus,
  DRIFT_DETECTABLE_STATUSES,
  driftSupported,
  findDetection,
  recordResourceCheck,
  startDetection,
} from '../cloudformation/drift';

export {
  resourceDriftInformation,
  stackDriftInformation,
} from '../cloudformation/drift';

const RESOURCE_DRIFT_STATUSES = [
  'IN_SYNC',
  'MODIFIED',
  'DELETED',
  'NOT_CHECKED',
  'UNKNOWN',
];

function stackOf(ctx: RequestContext, nameOrId: unknown): Stack {
  const stacks = ctx.regionState.cloudformation.stacks;
  const stack =
    typeof nameOrId === 'string' && nameOrId.startsWith('arn:')
      ? stacks.find(s => s.StackId === nameOrId)
      : stacks.find(
          s => s.StackName === nameOrId && s.StackStatus !== 'DELETE_COMPLETE',
        );
  if (!stack || stack.StackStatus === 'DELETE_COMPLETE') {
    throw validationError(`Stack with id ${nameOrId} does not exist`);
  }
  return stack;
}

function assertDetectable(stack: Stack) {
  if (stack.busy || !DRIFT_DETECTABLE_STATUSES.includes(stack.StackStatus)) {
    throw validationError(
      `Stack [${stack.StackName}] is in ${stack.StackStatus} state. Drift detection can be performed only on stacks in CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE or UPDATE_ROLLBACK_FAILED state.`,
    );
  }
}

function resourceOf(stack: Stack, logicalId: unknown) {
  const r = typeof logicalId === 'string' ? stack.resources[logicalId] : null;
  if (!r) {
    throw validationError(
      `Resource ${logicalId} does not exist for stack ${stack.StackName}`,
    );
  }
  return r;
}

function driftOutput(stack: Stack, r: StackResourceDriftResult) {
  return {
    StackId: stack.StackId,
    LogicalResourceId: r.LogicalResourceId,
    PhysicalResourceId: r.PhysicalResourceId,
    ResourceType: r.ResourceType,
    ExpectedProperties: r.ExpectedProperties,
    ActualProperties: r.ActualProperties,
    PropertyDifferences: r.PropertyDifferences.length
      ? r.PropertyDifferences
      : undefined,
    StackResourceDriftStatus: r.StackResourceDriftStatus,
    DriftStatusReason: r.DriftStatusReason,
    Timestamp: new Date(r.Timestamp),
  };
}

/** awsQuery sends an empty list as "Key=" (an empty string). */
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : [];

export const driftOperations: Record<string, Handler> = {
  DetectStackDrift: (input, ctx) => {
    const stack = stackOf(ctx, input.StackName);
    assertDetectable(stack);
    const ids = list(input.LogicalResourceIds);
    for (const id of ids) resourceOf(stack, id);
    const detection = startDetection(stack, ids, ctx);
    ctx.sandbox.changed();
    return { StackDriftDetectionId: detection.StackDriftDetectionId };
  },

  DescribeStackDriftDetectionStatus: (input, ctx) => {
    const id = input.StackDriftDetectionId;
    if (typeof id !== 'string' || !id) {
      throw validationError(
        "1 validation error detected: Value null at 'stackDriftDetectionId' failed to satisfy constraint: Member must not be null",
      );
    }
    const found = findDetection(ctx.regionState.cloudformation.stacks, id);
    if (!found) {
      throw validationError(`Drift detection with id ${id} does not exist`);
    }
    return detectionStatus(found.stack, found.detection, ctx.now);
  },

  DescribeStackResourceDrifts: (input, ctx) => {
    const stack = stackOf(ctx, input.StackName);
    const filters = list(input.StackResourceDriftStatusFilters);
    for (const f of filters) {
      if (!RESOURCE_DRIFT_STATUSES.includes(f)) {
        throw validationError(
          `1 validation error detected: Value '[${filters.join(
            ', ',
          )}]' at 'stackResourceDriftStatusFilters' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${RESOURCE_DRIFT_STATUSES.join(
            ', ',
          )}]]`,
        );
      }
    }
    const results = currentResults(stack, ctx.now).filter(
      r => !filters.length || filters.includes(r.StackResourceDriftStatus),
    );
    const { page, nextToken } = paginate(results, {
      maxResults: queryInt(input.MaxResults, 'MaxResults'),
      nextToken: input.NextToken,
      defaultSize: 100,
      maxSize: 100,
      limitName: 'maxResults',
      limitError: 'ValidationError',
      tokenError: 'ValidationError',
      fingerprint: `${stack.StackId}|${filters.join(',')}`,
    });
    return {
      StackResourceDrifts: page.map(r => driftOutput(stack, r)),
      NextToken: nextToken,
    };
  },

  DetectStackResourceDrift: (input, ctx) => {
    const stack = stackOf(ctx, input.StackName);
    assertDetectable(stack);
    const r = resourceOf(stack, input.LogicalResourceId);
    if (!driftSupported(r.ResourceType)) {
      throw validationError(
        `Drift detection is not supported for resource type ${r.ResourceType}.`,
      );
    }
    const result = checkResource(r, ctx);
    recordResourceCheck(stack, result);
    ctx.sandbox.changed();
    return { StackResourceDrift: driftOutput(stack, result) };
  },
};
