/*
 * One resource's steps in a stack operation, with its provider: creating it
 * (then waiting for it to stabilise), waiting for it to stabilise after an
 * update, and deleting its physical resource.
 */
import type { Stack, StackResource } from '../stateCloudFormation';
import type { EngineWorld, OperationContext } from '../world';
import type { Deployment } from './deployment';
import { resolve, Scope, TemplateError } from './intrinsics';
import { providers } from './resources';
import { Cancelled, EngineView } from './engineView';
import { injectedFailure, throwIfCancelled } from './resourceFailures';
import { resourceContext } from './stackScope';

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/**
 * Waits until the provider counts resource `r` as stable (an ECS service
 * rolled out); rejects with the handler's failure if it cannot be.
 */
export async function stabilise(
  engine: EngineView,
  stack: Stack,
  op: OperationContext,
  logicalId: string,
  r: StackResource,
  gen: number,
): Promise<void> {
  const provider = providers[r.ResourceType];
  if (!provider?.stabilise) return;
  const check = provider.stabilise(
    r.PhysicalResourceId,
    r.properties,
    resourceContext(engine.sandbox, stack, op, logicalId),
  );
  // CancelUpdateStack ends the wait: this is where an update spends its time.
  await engine.waits.until(() => {
    throwIfCancelled(stack);
    return check();
  });
  if (engine.cancelled(gen)) throw new Cancelled();
}

/**
 * Creates resource `id` and records it in the stack, complete. A
 * replacement (`updating`) takes the stack's record only once complete;
 * `onCreated` learns of its physical resource as soon as it exists.
 */
export async function createResource(
  engine: EngineView,
  stack: Stack,
  d: Deployment,
  scope: Scope,
  op: OperationContext,
  id: string,
  gen: number,
  updating = false,
  onCreated?: (r: StackResource) => void,
) {
  const def = d.template.Resources[id];
  const provider = providers[def.Type];
  const inProgress = updating ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS';
  if (!updating) engine.event(stack, id, def.Type, '', 'CREATE_IN_PROGRESS');
  await engine.pause(gen);
  const injected = injectedFailure(engine.sandbox, stack, id, def.Type);
  if (injected) throw new TemplateError(injected);
  const props = resolve(def.Properties ?? {}, scope);
  const result = provider.create(
    props,
    resourceContext(engine.sandbox, stack, op, id),
  );
  const record: StackResource = {
    LogicalResourceId: id,
    PhysicalResourceId: result.physicalId,
    ResourceType: def.Type,
    ResourceStatus: inProgress,
    Timestamp: engine.sandbox.now(),
    properties: props,
    attributes: result.attributes,
    definition: clone(def),
  };
  // Recorded while in progress, so a rollback deletes what exists.
  if (!updating) stack.resources[id] = record;
  onCreated?.(record);
  engine.event(
    stack,
    id,
    def.Type,
    result.physicalId,
    inProgress,
    'Resource creation Initiated',
    props,
  );
  await engine.pause(gen);
  await stabilise(engine, stack, op, id, record, gen);
  const complete = updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
  record.ResourceStatus = complete;
  record.Timestamp = engine.sandbox.now();
  stack.resources[id] = record;
  engine.event(stack, id, def.Type, record.PhysicalResourceId, complete);
  return record;
}

/** Deletes the physical resource of `r` with its provider (which may throw). */
export function deletePhysical(
  sandbox: EngineWorld,
  stack: Stack,
  op: OperationContext,
  logicalId: string,
  r: StackResource,
) {
  providers[r.ResourceType]?.delete(
    r.PhysicalResourceId,
    r.properties,
    r.attributes,
    resourceContext(sandbox, stack, op, logicalId),
  );
}
