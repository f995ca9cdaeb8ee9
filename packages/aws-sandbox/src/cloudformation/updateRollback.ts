/*
 * An update's rollback: puts the resources it updated in place back as they
 * were (each must stabilise again, else UPDATE_ROLLBACK_FAILED), restores
 * the records of those it replaced, then deletes what it created and the
 * replacements.
 */
import type { Stack, StackResource } from '../stateCloudFormation';
import type { OperationContext, World } from '../world';
import type { Deployment } from './deployment';
import { providers } from './resources';
import { Cancelled, EngineView } from './engineView';
import { failureReason, resourceFailed } from './resourceFailures';
import { stabilise } from './resourceSteps';
import { resourceContext } from './stackScope';
import { deleteReplaced, deleteResources } from './stackDelete';

/** A resource an update replaces: its record before, and the new one. */
export interface Replacement {
  id: string;
  before: StackResource;
  after?: StackResource;
}

/** What an update has done so far, which its rollback undoes. */
export interface UpdateProgress {
  created: string[];
  updated: { id: string; before: StackResource }[];
  replaced: Replacement[];
}

/**
 * Rolls back an update that failed after `progress`; the stack is already
 * UPDATE_ROLLBACK_IN_PROGRESS. Returns false (the update did not succeed).
 */
export async function rollbackUpdate(
  engine: EngineView,
  stack: Stack,
  d: Deployment,
  op: OperationContext,
  gen: number,
  progress: UpdateProgress,
): Promise<boolean> {
  const { created, updated, replaced } = progress;
  // Put updated resources back the way they were.
  for (const u of [...updated].reverse()) {
    const r = stack.resources[u.id];
    engine.resourceEvent(stack, u.id, r, 'UPDATE_IN_PROGRESS');
    await engine.pause(gen);
    try {
      providers[r.ResourceType].update!(
        r.PhysicalResourceId,
        u.before.properties,
        { props: r.properties, attributes: r.attributes },
        resourceContext(engine.sandbox, stack, op, u.id),
      );
    } catch {
      // best effort, as CloudFormation's rollback
    }
    restoreResource(engine.sandbox, stack, u.id, u.before);
    // The restored service must stabilise too; if it cannot, the
    // rollback stops there, as CloudFormation's does.
    const failed = await stabiliseRollback(engine, stack, op, u.id, gen);
    if (failed) {
      stack.LastUpdatedTime = engine.sandbox.now();
      engine.stackEvent(stack, 'UPDATE_ROLLBACK_FAILED', failed);
      return false;
    }
    engine.resourceEvent(stack, u.id, r, 'UPDATE_COMPLETE');
  }
  for (const rep of [...replaced].reverse()) {
    restoreResource(engine.sandbox, stack, rep.id, rep.before);
    engine.resourceEvent(stack, rep.id, rep.before, 'UPDATE_COMPLETE');
  }
  engine.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  await deleteResources(engine, stack, d.template, op, gen, created, false);
  for (const rep of [...replaced].reverse()) {
    if (!rep.after) continue;
    await deleteReplaced(engine, stack, op, gen, rep.id, rep.after);
  }
  stack.LastUpdatedTime = engine.sandbox.now();
  engine.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE');
  return false;
}

/**
 * Waits for a resource an update rollback restored; on failure marks it
 * UPDATE_FAILED and returns the stack's status reason.
 */
async function stabiliseRollback(
  engine: EngineView,
  stack: Stack,
  op: OperationContext,
  logicalId: string,
  gen: number,
): Promise<string | undefined> {
  const r = stack.resources[logicalId];
  try {
    await stabilise(engine, stack, op, logicalId, r, gen);
    return undefined;
  } catch (e) {
    if (e instanceof Cancelled) throw e;
    const reason = failureReason(engine.sandbox, e);
    r.ResourceStatus = 'UPDATE_FAILED';
    r.ResourceStatusReason = reason;
    engine.resourceEvent(stack, logicalId, r, 'UPDATE_FAILED', reason);
    return resourceFailed('update', logicalId);
  }
}

/** Puts back the stack's record of a resource as it was before an update. */
function restoreResource(
  sandbox: World,
  stack: Stack,
  logicalId: string,
  before: StackResource,
) {
  stack.resources[logicalId] = {
    ...before,
    ResourceStatus: 'UPDATE_COMPLETE',
    Timestamp: sandbox.now(),
  };
}
