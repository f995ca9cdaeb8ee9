/*
 * Change set contents: what executing a template would do to the stack,
 * resource by resource (Add / Modify / Remove, with Replacement), computed by
 * comparing the old and new definitions with parameters resolved and other
 * resources' ids left symbolic.
 */
import type { Stack } from '../stateCloudFormation';
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

/** What makes a property's value change without the template changing it. */
interface Cause {
  ChangeSource:
    | 'ResourceReference'
    | 'ResourceAttribute'
    | 'ParameterReference';
  CausingEntity: string;
}

/**
 * The parameters and resources a raw template value refers to, as change
 * set causes: `Ref` to a resource is a ResourceReference (`Id`), Fn::GetAtt
 * a ResourceAttribute (`Id.Attribute`), `Ref` to a parameter a
 * ParameterReference (`Name`); Fn::Sub's `${Id}` and `${Id.Attribute}` count
 * the same way.
 */
function causesIn(
  value: unknown,
  resources: Set<string>,
  parameters: Set<string>,
  out: Cause[] = [],
): Cause[] {
  const add = (name: string) => {
    const [id, ...attr] = name.trim().split('.');
    let cause: Cause | undefined;
    if (resources.has(id)) {
      cause = attr.length
        ? { ChangeSource: 'ResourceAttribute', CausingEntity: name.trim() }
        : { ChangeSource: 'ResourceReference', CausingEntity: id };
    } else if (!attr.length && parameters.has(id)) {
      cause = { ChangeSource: 'ParameterReference', CausingEntity: id };
    }
    if (
      cause &&
      !out.some(
        c =>
          c.ChangeSource === cause!.ChangeSource &&
          c.CausingEntity === cause!.CausingEntity,
      )
    ) {
      out.push(cause);
    }
  };
  if (Array.isArray(value)) {
    for (const v of value) causesIn(v, resources, parameters, out);
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' && typeof v === 'string') add(v);
    else if (k === 'Fn::GetAtt') {
      if (typeof v === 'string') add(v);
      else if (Array.isArray(v) && typeof v[1] === 'string') {
        add(`${v[0]}.${v[1]}`);
      }
    } else if (k === 'Fn::Sub') {
      const text = Array.isArray(v) ? v[0] : v;
      const local =
        Array.isArray(v) && v[1] && typeof v[1] === 'object'
          ? Object.keys(v[1])
          : [];
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          if (!local.includes(m[1].trim())) add(m[1]);
        }
      }
      if (Array.isArray(v)) causesIn(v[1], resources, parameters, out);
    } else causesIn(v, resources, parameters, out);
  }
  return out;
}

interface PropertyChange {
  name: string;
  recreation: 'Always' | 'Never';
  /** The template changed the value itself. */
  direct: boolean;
  causes: Cause[];
}

interface Modification {
  id: string;
  type: string;
  physicalId: string;
  typeChanged: boolean;
  properties: PropertyChange[];
}

const replaces = (m: Modification) =>
  m.typeChanged ||
  m.properties.some(
    p => p.recreation === 'Always' && (p.direct || p.causes.length > 0),
  );

/**
 * A Modify change as CloudFormation reports it: per property a Static
 * DirectModification when the template changed it, otherwise a Dynamic
 * DirectModification followed by a Static detail naming each cause (a
 * changed parameter, a resource being replaced); Dynamic details first.
 */
function modifyChange(m: Modification) {
  const target = (p: PropertyChange) =>
    p.name === 'Tags'
      ? { Attribute: 'Tags', RequiresRecreation: p.recreation }
      : {
          Attribute: 'Properties',
          Name: p.name,
          RequiresRecreation: p.recreation,
        };
  const dynamic = m.properties
    .filter(p => !p.direct)
    .map(p => ({
      Target: target(p),
      Evaluation: 'Dynamic',
      ChangeSource: 'DirectModification',
    }));
  const fixed = m.properties.flatMap(p =>
    p.direct
      ? [
          {
            Target: target(p),
            Evaluation: 'Static',
            ChangeSource: 'DirectModification',
          },
        ]
      : p.causes.map(c => ({
          Target: target(p),
          Evaluation: 'Static',
          ChangeSource: c.ChangeSource,
          CausingEntity: c.CausingEntity,
        })),
  );
  const scope = ['Tags', 'Properties'].filter(attribute =>
    m.properties.some(p => (p.name === 'Tags') === (attribute === 'Tags')),
  );
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: m.id,
      PhysicalResourceId: m.physicalId,
      ResourceType: m.type,
      Replacement: replaces(m) ? 'True' : 'False',
      Scope: scope,
      Details: [...dynamic, ...fixed],
    },
  };
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
  const resourceIds = new Set(Object.keys(newTemplate.Resources));
  const changedParameters = new Set(
    Object.keys(input.newParameters).filter(
      k => !same(input.newParameters[k], input.oldParameters[k]),
    ),
  );
  const recreationOf = (type: string, name: string): 'Always' | 'Never' => {
    const provider = providers[type];
    return !provider?.update ||
      provider.replaceOn === 'all' ||
      (provider.replaceOn as string[]).includes(name)
      ? 'Always'
      : 'Never';
  };
  /** Add changes, and the ids of resources that stay, in template order. */
  const ordered: (string | object)[] = [];
  const modified = new Map<string, Modification>();
  /** Resources that stay, with their raw properties, for the references pass. */
  const kept: { id: string; def: any; oldDef: any }[] = [];
  for (const [id, def] of Object.entries(newTemplate.Resources)) {
    if (!active(newTemplate, newScope, id)) continue;
    const existing = stack.resources[id];
    if (!existing || !oldTemplate) {
      ordered.push({
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
    kept.push({ id, def, oldDef });
    ordered.push(id);
    const oldProps = (safeResolve(oldDef?.Properties ?? {}, oldScope!) ??
      {}) as Record<string, unknown>;
    const newProps = (safeResolve(def.Properties ?? {}, newScope) ??
      {}) as Record<string, unknown>;
    const typeChanged = existing.ResourceType !== def.Type;
    const names = [
      ...new Set([...Object.keys(oldProps), ...Object.keys(newProps)]),
    ].filter(k => !same(oldProps[k], newProps[k]));
    if (!typeChanged && names.length === 0) continue;
    modified.set(id, {
      id,
      type: def.Type,
      physicalId: existing.PhysicalResourceId,
      typeChanged,
      properties: names.map(name => {
        const raw = def.Properties?.[name];
        const direct = !same(oldDef?.Properties?.[name], raw);
        return {
          name,
          recreation: recreationOf(def.Type, name),
          direct,
          causes: direct ? [] : causesIn(raw, new Set(), changedParameters),
        };
      }),
    });
  }
  // A resource that is replaced gets a new physical id and attributes, so
  // the unchanged properties that refer to it change too (as far as that
  // replaces more resources, theirs as well).
  for (let grew = true; grew; ) {
    grew = false;
    const replaced = new Set(
      [...modified.values()].filter(replaces).map(m => m.id),
    );
    for (const { id, def, oldDef } of kept) {
      for (const [name, raw] of Object.entries<unknown>(def.Properties ?? {})) {
        if (!same(oldDef?.Properties?.[name], raw)) continue;
        const causes = causesIn(raw, resourceIds, new Set()).filter(
          c =>
            replaced.has(c.CausingEntity.split('.')[0]) &&
            c.CausingEntity.split('.')[0] !== id,
        );
        if (causes.length === 0) continue;
        let m = modified.get(id);
        if (!m) {
          m = {
            id,
            type: def.Type,
            physicalId: stack.resources[id].PhysicalResourceId,
            typeChanged: false,
            properties: [],
          };
          modified.set(id, m);
        }
        let p = m.properties.find(x => x.name === name);
        if (!p) {
          p = {
            name,
            recreation: recreationOf(def.Type, name),
            direct: false,
            causes: [],
          };
          m.properties.push(p);
        }
        for (const c of causes) {
          if (
            !p.causes.some(
              x =>
                x.ChangeSource === c.ChangeSource &&
                x.CausingEntity === c.CausingEntity,
            )
          ) {
            const wasReplaced = replaces(m);
            p.causes.push(c);
            if (!wasReplaced && replaces(m)) grew = true;
          }
        }
      }
    }
  }
  const changes: any[] = [];
  for (const entry of ordered) {
    if (typeof entry !== 'string') changes.push(entry);
    else if (modified.has(entry))
      changes.push(modifyChange(modified.get(entry)!));
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
