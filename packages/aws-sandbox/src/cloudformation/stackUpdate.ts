/*
 * UpdateStack (and an UPDATE change set): creates the template's new
 * resources, updates changed ones in place or replaces them (per their
 * provider's replaceOn), then deletes what the template no longer has and
 * the replaced physical resources; on failure rolls back (updateRollback.ts).
 */
import type { Stack } from '../stateCloudFormation';
import type { OperationContext } from '../world';
import type { Deployment } from './deployment';
import { resolve, TemplateError } from './intrinsics';
import { providers } from './resources';
import { dependencyOrder, parseTemplate } from './template';
import { Cancelled, EngineView } from './engineView';
import {
  injectedFailure,
  reportFailure,
  throwIfCancelled,
} from './resourceFailures';
import { clone, createResource, stabilise } from './resourceSteps';
import { included, resourceContext, scopeFor } from './stackScope';
import { publishExports, resolveOutputs } from './stackOutputs';
import { deleteReplaced, deleteResources } from './stackDelete';
import { Replacement, rollbackUpdate, UpdateProgress } from './updateRollback';

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** Compares values the way CloudFormation does: numbers equal their strings. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map(k => [k, normalise((v as any)[k])]),
    );
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}

/** Whether the resolved properties differ, and if so whether replacement is needed. */
export function compare(
  type: string,
  oldProps: any,
  newProps: any,
): { changed: boolean; replace: boolean; names: string[] } {
  const names = [
    ...new Set([
      ...Object.keys(oldProps ?? {}),
      ...Object.keys(newProps ?? {}),
    ]),
  ].filter(k => !deepEqual(oldProps?.[k], newProps?.[k]));
  if (names.length === 0) return { changed: false, replace: false, names };
  const p = providers[type];
  const replace =
    !p ||
    !p.update ||
    p.replaceOn === 'all' ||
    names.some(n => (p.replaceOn as string[]).includes(n));
  return { changed: true, replace, names };
}

export async function runUpdate(
  engine: EngineView,
  stack: Stack,
  d: Deployment,
  op: OperationContext,
  gen: number,
): Promise<boolean> {
  const oldTemplate = parseTemplate(stack.templateBody);
  const scope = scopeFor(stack, d, op);
  const created: string[] = [];
  const updated: UpdateProgress['updated'] = [];
  const replaced: Replacement[] = [];
  let current: string | undefined;
  let currentAction: 'create' | 'update' = 'update';
  try {
    const order = dependencyOrder(d.template, included(d, scope));
    for (const id of order) {
      current = undefined;
      throwIfCancelled(stack);
      current = id;
      const def = d.template.Resources[id];
      const existing = stack.resources[id];
      if (!existing) {
        currentAction = 'create';
        // Listed first: a rollback deletes it if it got as far as existing.
        created.push(id);
        await createResource(engine, stack, d, scope, op, id, gen);
        continue;
      }
      currentAction = 'update';
      const props = resolve(def.Properties ?? {}, scope);
      const diff =
        existing.ResourceType !== def.Type
          ? { changed: true, replace: true, names: [] }
          : compare(def.Type, existing.properties, props);
      if (!diff.changed) {
        existing.definition = clone(def);
        continue;
      }
      if (diff.replace) {
        engine.event(
          stack,
          id,
          def.Type,
          existing.PhysicalResourceId,
          'UPDATE_IN_PROGRESS',
          'Requested update requires the creation of a new physical resource; hence creating one.',
        );
        const entry: Replacement = { id, before: clone(existing) };
        replaced.push(entry);
        await createResource(engine, stack, d, scope, op, id, gen, true, r => {
          entry.after = r;
        });
      } else {
        engine.event(
          stack,
          id,
          def.Type,
          existing.PhysicalResourceId,
          'UPDATE_IN_PROGRESS',
        );
        await engine.pause(gen);
        const injected = injectedFailure(engine.sandbox, stack, id, def.Type);
        if (injected) throw new TemplateError(injected);
        updated.push({ id, before: clone(existing) });
        const result = providers[def.Type].update!(
          existing.PhysicalResourceId,
          props,
          { props: existing.properties, attributes: existing.attributes },
          resourceContext(engine.sandbox, stack, op, id),
        );
        existing.PhysicalResourceId = result.physicalId;
        existing.attributes = result.attributes;
        existing.properties = props;
        existing.definition = clone(def);
        existing.ResourceStatus = 'UPDATE_IN_PROGRESS';
        await stabilise(engine, stack, op, id, existing, gen);
        existing.ResourceStatus = 'UPDATE_COMPLETE';
        existing.Timestamp = engine.sandbox.now();
        engine.event(
          stack,
          id,
          def.Type,
          existing.PhysicalResourceId,
          'UPDATE_COMPLETE',
        );
      }
    }
    current = undefined;
    throwIfCancelled(stack);
    const outputs = resolveOutputs(stack, d, scope, op);
    // Success: clean up what the new template no longer has.
    engine.stackEvent(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const keep = new Set(order);
    const removed = Object.keys(stack.resources).filter(id => !keep.has(id));
    await deleteResources(engine, stack, oldTemplate, op, gen, removed);
    for (const r of [...replaced].reverse()) {
      await deleteReplaced(engine, stack, op, gen, r.id, r.before);
    }
    stack.templateBody = d.templateBody;
    stack.Parameters = d.storedParameters;
    stack.Outputs = outputs;
    publishExports(stack, op);
    stack.LastUpdatedTime = engine.sandbox.now();
    engine.stackEvent(stack, 'UPDATE_COMPLETE');
    return true;
  } catch (e) {
    if (e instanceof Cancelled) throw e;
    // The rollback's own waits must not see the cancellation.
    stack.cancelRequested = undefined;
    engine.stackEvent(
      stack,
      'UPDATE_ROLLBACK_IN_PROGRESS',
      reportFailure(engine, stack, d, current, currentAction, e),
    );
    return rollbackUpdate(engine, stack, d, op, gen, {
      created,
      updated,
      replaced,
    });
  }
}
