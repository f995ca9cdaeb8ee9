/*
 * A stack's outputs, resolved once its resources exist, and the exports they
 * publish to the region, which other stacks' Fn::ImportValue reads.
 */
import type { Stack } from '../stateCloudFormation';
import type { OperationContext } from '../world';
import type { Deployment } from './deployment';
import { NO_VALUE, resolve, Scope, TemplateError } from './intrinsics';

export function resolveOutputs(
  stack: Stack,
  d: Deployment,
  scope: Scope,
  op: OperationContext,
) {
  const out: Stack['Outputs'] = [];
  for (const [key, def] of Object.entries<any>(d.template.Outputs ?? {})) {
    if (def.Condition && !scope.conditions[def.Condition]) continue;
    let value = resolve(def.Value, scope);
    if (Array.isArray(value)) value = value.join(',');
    if (value === NO_VALUE) continue;
    const exportName =
      def.Export?.Name !== undefined
        ? String(resolve(def.Export.Name, scope))
        : undefined;
    if (exportName) {
      const existing = op.regionState.cloudformation.exports[exportName];
      if (existing && existing.stackId !== stack.StackId) {
        throw new TemplateError(
          `Export with name ${exportName} is already exported by stack ${
            existing.stackId.split('/')[1]
          }`,
        );
      }
    }
    out.push({
      OutputKey: key,
      OutputValue: String(value),
      Description: def.Description,
      ExportName: exportName,
    });
  }
  return out;
}

export function removeExports(stack: Stack, op: OperationContext) {
  const exports = op.regionState.cloudformation.exports;
  for (const [name, e] of Object.entries(exports)) {
    if (e.stackId === stack.StackId) delete exports[name];
  }
}

export function publishExports(stack: Stack, op: OperationContext) {
  const exports = op.regionState.cloudformation.exports;
  removeExports(stack, op);
  for (const o of stack.Outputs) {
    if (o.ExportName)
      exports[o.ExportName] = {
        stackId: stack.StackId,
        value: o.OutputValue,
      };
  }
}
