/*
 * What a stack's resources are resolved and called in: the scope its
 * template's intrinsics resolve against (parameters, mappings, conditions,
 * the stack's resources and the region's exports), which resources its
 * conditions include, and the context their providers run in.
 */
import type { Stack } from '../stateCloudFormation';
import type { EngineWorld, OperationContext } from '../world';
import type { Deployment } from './deployment';
import { Scope, TemplateError } from './intrinsics';
import type { ResourceContext } from './provider';
import { conditionsFor } from './template';

export function scopeFor(
  stack: Stack,
  d: Deployment,
  op: OperationContext,
): Scope {
  const base = {
    region: op.region,
    accountId:
      op.caller.account === '000000000000' ? '000000000000' : op.caller.account,
    stackName: stack.StackName,
    stackId: stack.StackId,
    parameters: d.parameters,
    mappings: d.template.Mappings ?? {},
    resourceIds: new Set(Object.keys(d.template.Resources)),
    ref: (id: string) => {
      const r = stack.resources[id];
      if (!r || !r.PhysicalResourceId) {
        throw new TemplateError(
          `Template error: resource ${id} is not available (its condition is false or it was not created)`,
        );
      }
      return r.PhysicalResourceId;
    },
    getAtt: (id: string, attr: string) => {
      const r = stack.resources[id];
      if (!r)
        throw new TemplateError(
          `Template error: resource ${id} is not available`,
        );
      const v = r.attributes[attr];
      if (v === undefined) {
        throw new TemplateError(
          `Template error: resource ${id} does not support attribute type ${attr} in Fn::GetAtt`,
        );
      }
      return v;
    },
    importValue: (name: string) => {
      const exp = op.regionState.cloudformation.exports[name];
      if (!exp) throw new TemplateError(`No export named ${name} found.`);
      return exp.value;
    },
  };
  const conditions = conditionsFor(d.template, base);
  return { ...base, conditions };
}

export function included(d: Deployment, scope: Scope): (id: string) => boolean {
  return id => {
    const c = d.template.Resources[id].Condition;
    return !c || scope.conditions[c] === true;
  };
}

export function resourceContext(
  sandbox: EngineWorld,
  stack: Stack,
  op: OperationContext,
  logicalId: string,
): ResourceContext {
  return {
    sandbox: sandbox,
    region: op.region,
    regionState: op.regionState,
    caller: op.caller,
    now: sandbox.now(),
    stackName: stack.StackName,
    stackId: stack.StackId,
    logicalId,
  };
}
