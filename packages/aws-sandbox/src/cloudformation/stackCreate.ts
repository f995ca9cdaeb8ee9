/*
 * CreateStack (and a CREATE change set): creates the template's resources in
 * dependency order, then its outputs and exports; on failure deletes what it
 * created (ROLLBACK_COMPLETE), or with rollback disabled leaves it
 * (CREATE_FAILED).
 */
import type { Stack } from '../stateCloudFormation';
import type { OperationContext } from '../world';
import type { Deployment } from './deployment';
import { dependencyOrder } from './template';
import { Cancelled, EngineView } from './engineView';
import { reportFailure } from './resourceFailures';
import { createResource } from './resourceSteps';
import { included, scopeFor } from './stackScope';
import { publishExports, resolveOutputs } from './stackOutputs';
import { deleteResources } from './stackDelete';

export async function runCreate(
  engine: EngineView,
  stack: Stack,
  d: Deployment,
  op: OperationContext,
  gen: number,
): Promise<boolean> {
  const scope = scopeFor(stack, d, op);
  let order: string[];
  let current: string | undefined;
  try {
    order = dependencyOrder(d.template, included(d, scope));
    for (const id of order) {
      current = id;
      await createResource(engine, stack, d, scope, op, id, gen);
    }
    current = undefined;
    stack.Outputs = resolveOutputs(stack, d, scope, op);
    publishExports(stack, op);
    stack.templateBody = d.templateBody;
    stack.Parameters = d.storedParameters;
    engine.stackEvent(stack, 'CREATE_COMPLETE');
    return true;
  } catch (e) {
    if (e instanceof Cancelled) throw e;
    const summary = reportFailure(engine, stack, d, current, 'create', e);
    if (d.disableRollback) {
      stack.templateBody = d.templateBody;
      stack.Parameters = d.storedParameters;
      engine.stackEvent(stack, 'CREATE_FAILED', summary);
      return false;
    }
    engine.stackEvent(
      stack,
      'ROLLBACK_IN_PROGRESS',
      `${summary}Rollback requested by user.`,
    );
    stack.templateBody = d.templateBody;
    stack.Parameters = d.storedParameters;
    await deleteResources(
      engine,
      stack,
      d.template,
      op,
      gen,
      Object.keys(stack.resources),
    );
    engine.stackEvent(stack, 'ROLLBACK_COMPLETE');
    return false;
  }
}
