/*
 * Change set contents: what executing a template would do to the stack,
 * resource by resource (Add / Modify / Remove, with Replacement), computed by
 * comparing the old and new definitions with parameters resolved and other
 * resources' ids left symbolic.
 */
import type { Stack } from '../state';
import { NO_VALUE, resolve, Scope } from './intrinsics';
import { providers } from './resources';
import { conditionsFor, Template } from './template';

/** A scope where resource references stay symbolic, for comparisons. */
function symbolicScope(
  stack: Stack,
  t: Template,
  parameters: Record<string, string | string[]>,
  region: string,
  account: string,
  exports: Record<string, { value: string }>,
): Scope {
  const base = {
    region,
    accountId: account,
    stackName: stack.StackName,
    stackId: stack.StackId,
    parameters,
    mappings: t.Mappings ?? {},
    resourceIds: new Set(Object.keys(t.Resources)),
    ref: (id: string) => `{{Ref:${id}}}`,
    getAtt: (id: string, attr: string) => `{{GetAtt:${id}.${attr}}}`,
    importValue: (name: string) => exports[name]?.value ?? `{{Import:${name}}}`,
  };
  return { ...base, conditions: conditionsFor(t, base) };
}

function safeResolve(value: unknown, scope: Scope): unknown {
  try {
    const v = resolve(value, scope);
    return v === NO_VALUE ? undefined : v;
  } catch {
    return value;
  }
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

export interface ChangeInput {
  stack: Stack;
  oldTemplate?: Template;
  oldParameters: Record<string, string | string[]>;
  newTemplate: Template;
  newParameters: Record<string, string | string[]>;
  region: string;
  account: string;
  exports: Record<string, { value: string }>;
}

export function computeChanges(input: ChangeInput): any[] {
  const { stack, newTemplate, oldTemplate } = input;
  const newScope = symbolicScope(
    stack,
    newTemplate,
    input.newParameters,
    input.region,
    input.account,
    input.exports,
  );
  const oldScope = oldTemplate
    ? symbolicScope(
        stack,
        oldTemplate,
        input.oldParameters,
        input.region,
        input.account,
        input.exports,
      )
    : undefined;
  const active = (t: Template, scope: Scope | undefined, id: string) => {
    const c = t.Resources[id]?.Condition;
    if (!c) return true;
    try {
      return scope?.conditions[c] === true;
    } catch {
      return true;
    }
  };
  const changes: any[] = [];
  for (const [id, def] of Object.entries(newTemplate.Resources)) {
    if (!active(newTemplate, newScope, id)) continue;
    const existing = stack.resources[id];
    if (!existing || !oldTemplate) {
      changes.push({
        Type: 'Resource',
        ResourceChange: {
          Action: 'Add',
          LogicalResourceId: id,
          ResourceType: def.Type,
          Scope: [],
          Details: [],
        },
      });
      continue;
    }
    const oldDef = oldTemplate.Resources[id] ?? (existing.definition as any);
    const oldProps = (safeResolve(oldDef?.Properties ?? {}, oldScope!) ??
      {}) as Record<string, unknown>;
    const newProps = (safeResolve(def.Properties ?? {}, newScope) ??
      {}) as Record<string, unknown>;
    const typeChanged = existing.ResourceType !== def.Type;
    const names = [
      ...new Set([...Object.keys(oldProps), ...Object.keys(newProps)]),
    ].filter(k => !same(oldProps[k], newProps[k]));
    if (!typeChanged && names.length === 0) continue;
    const provider = providers[def.Type];
    const recreation = (name: string) =>
      !provider?.update ||
      provider.replaceOn === 'all' ||
      (provider.replaceOn as string[]).includes(name)
        ? 'Always'
        : 'Never';
    const replacement =
      typeChanged || names.some(n => recreation(n) === 'Always');
    changes.push({
      Type: 'Resource',
      ResourceChange: {
        Action: 'Modify',
        LogicalResourceId: id,
        PhysicalResourceId: existing.PhysicalResourceId,
        ResourceType: def.Type,
        Replacement: replacement ? 'True' : 'False',
        Scope: names.includes('Tags') ? ['Properties', 'Tags'] : ['Properties'],
        Details: names.map(name => {
          const raw = JSON.stringify(def.Properties?.[name] ?? null);
          const dynamic = raw.includes('"Ref"') || raw.includes('Fn::GetAtt');
          return {
            Target: {
              Attribute: name === 'Tags' ? 'Tags' : 'Properties',
              Name: name,
              RequiresRecreation: recreation(name),
            },
            Evaluation: 'Static',
            ChangeSource: dynamic ? 'DirectModification' : 'DirectModification',
          };
        }),
      },
    });
  }
  if (oldTemplate) {
    for (const [id, existing] of Object.entries(stack.resources)) {
      if (newTemplate.Resources[id] && active(newTemplate, newScope, id))
        continue;
      changes.push({
        Type: 'Resource',
        ResourceChange: {
          Action: 'Remove',
          LogicalResourceId: id,
          PhysicalResourceId: existing.PhysicalResourceId,
          ResourceType: existing.ResourceType,
          Scope: [],
          Details: [],
        },
      });
    }
  }
  return changes;
}

/** True when nothing at all would change (template, parameters, tags). */
export function nothingChanged(
  oldTemplate: Template,
  newTemplate: Template,
  oldParams: { ParameterKey: string; ParameterValue: string }[],
  newParams: { ParameterKey: string; ParameterValue: string }[],
  oldTags: unknown,
  newTags: unknown,
): boolean {
  const key = (ps: { ParameterKey: string; ParameterValue: string }[]) =>
    JSON.stringify(
      [...ps]
        .sort((a, b) => (a.ParameterKey < b.ParameterKey ? -1 : 1))
        .map(p => [p.ParameterKey, p.ParameterValue]),
    );
  return (
    same(oldTemplate, newTemplate) &&
    key(oldParams) === key(newParams) &&
    same(oldTags ?? [], newTags ?? [])
  );
}
