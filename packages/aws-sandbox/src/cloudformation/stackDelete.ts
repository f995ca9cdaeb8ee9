/*
 * Deleting a stack's resources: in reverse dependency order, keeping those
 * whose DeletionPolicy is Retain, as DeleteStack, a create's rollback and an
 * update's cleanup do; and the physical resources a replacement leaves.
 */
import type { Stack, StackResource } from '../stateCloudFormation';
import type { OperationContext } from '../world';
import { dependencyOrder, parseTemplate, Template } from './template';
import type { EngineView } from './engineView';
import { failureReason, resourceFailed } from './resourceFailures';
import { deletePhysical } from './resourceSteps';
import { removeExports } from './stackOutputs';

/** Deletes the given resources in reverse dependency order. */
export async function deleteResources(
  engine: EngineView,
  stack: Stack,
  template: Template,
  op: OperationContext,
  gen: number,
  ids: string[],
  retainAllowed = true,
) {
  const present = new Set(ids.filter(id => stack.resources[id]));
  let order: string[];
  try {
    const t: Template = { ...template, Resources: { ...template.Resources } };
    for (const id of present) {
      if (!t.Resources[id])
        t.Resources[id] = stack.resources[id].definition as any;
    }
    order = dependencyOrder(t, id => present.has(id)).reverse();
  } catch {
    order = [...present].reverse();
  }
  let failed: string | undefined;
  for (const id of order) {
    const r = stack.resources[id];
    const policy = (r.definition as any)?.DeletionPolicy;
    if (retainAllowed && policy === 'Retain') {
      engine.resourceEvent(stack, id, r, 'DELETE_SKIPPED');
      delete stack.resources[id];
      continue;
    }
    engine.resourceEvent(stack, id, r, 'DELETE_IN_PROGRESS');
    await engine.pause(gen);
    try {
      deletePhysical(engine.sandbox, stack, op, id, r);
      engine.resourceEvent(stack, id, r, 'DELETE_COMPLETE');
      delete stack.resources[id];
    } catch (e) {
      const reason = failureReason(engine.sandbox, e);
      r.ResourceStatus = 'DELETE_FAILED';
      r.ResourceStatusReason = reason;
      engine.resourceEvent(stack, id, r, 'DELETE_FAILED', reason);
      failed = failed ?? id;
    }
  }
  return failed;
}

/**
 * Deletes one physical resource of a replacement (the old one once the
 * update succeeded, the new one on rollback); it is no longer the stack's
 * record of `logicalId`, and a failure to delete it is ignored (it may
 * already be gone).
 */
export async function deleteReplaced(
  engine: EngineView,
  stack: Stack,
  op: OperationContext,
  gen: number,
  logicalId: string,
  r: StackResource,
) {
  engine.resourceEvent(stack, logicalId, r, 'DELETE_IN_PROGRESS');
  await engine.pause(gen);
  try {
    deletePhysical(engine.sandbox, stack, op, logicalId, r);
  } catch {
    // best effort
  }
  engine.resourceEvent(stack, logicalId, r, 'DELETE_COMPLETE');
}

/**
 * DeleteStack's background run: deletes the stack's resources, keeping
 * `retain` (and any whose DeletionPolicy is Retain), then its exports.
 */
export async function runDelete(
  engine: EngineView,
  stack: Stack,
  op: OperationContext,
  retain: string[],
  gen: number,
): Promise<void> {
  let template: Template;
  try {
    template = parseTemplate(stack.templateBody);
  } catch {
    template = { Resources: {} };
  }
  for (const id of retain) {
    if (stack.resources[id])
      (stack.resources[id].definition as any).DeletionPolicy = 'Retain';
  }
  const failed = await deleteResources(
    engine,
    stack,
    template,
    op,
    gen,
    Object.keys(stack.resources),
  );
  stack.busy = false;
  if (failed) {
    engine.stackEvent(stack, 'DELETE_FAILED', resourceFailed('delete', failed));
    return;
  }
  removeExports(stack, op);
  stack.DeletionTime = engine.sandbox.now();
  stack.changeSets = {};
  engine.stackEvent(stack, 'DELETE_COMPLETE');
}
