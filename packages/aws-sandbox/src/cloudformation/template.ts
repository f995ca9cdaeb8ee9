/*
 * Template parsing and validation: size limits, JSON well-formedness,
 * resource types, references, circular dependencies, parameters and
 * capabilities, with the messages CloudFormation uses.
 */
import { AwsError } from '../protocol/errors';
import type { RegionState } from '../state';
import type { StackParameter } from '../stateCloudFormation';
import {
  evaluateCondition,
  getAttTarget,
  PSEUDO,
  references,
  resolve,
  Scope,
} from './intrinsics';
import { providers } from './resources';
import { parseTemplateYaml } from './templateYaml';
import type { Template } from './deployment';

export type { ResourceDefinition, Template } from './deployment';

export const MAX_TEMPLATE_BODY = 51_200;

export const validationError = (message: string) =>
  new AwsError('ValidationError', message);

export function parseTemplate(body: unknown): Template {
  if (typeof body !== 'string' || body.length === 0) {
    throw validationError(
      'Either Template URL or Template Body must be specified.',
    );
  }
  if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY) {
    throw validationError(
      `1 validation error detected: Value '${body.slice(
        0,
        20,
      )}...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY}`,
    );
  }
  let parsed: any;
  if (body.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw validationError(
        `Template format error: JSON not well-formed. (${
          (e as Error).message
        })`,
      );
    }
  } else {
    try {
      parsed = parseTemplateYaml(body);
    } catch (e) {
      throw validationError(
        `Template format error: YAML not well-formed. (${
          (e as Error).message
        })`,
      );
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationError('Template format error: JSON not well-formed.');
  }
  if (parsed.Transform) {
    throw validationError(
      'Template format error: Transforms (e.g. AWS::Serverless) are not supported by the AWS sandbox.',
    );
  }
  if (
    !parsed.Resources ||
    typeof parsed.Resources !== 'object' ||
    Object.keys(parsed.Resources).length === 0
  ) {
    throw validationError(
      'Template format error: At least one Resources member must be defined.',
    );
  }
  const allowed = new Set([
    'AWSTemplateFormatVersion',
    'Description',
    'Metadata',
    'Parameters',
    'Mappings',
    'Conditions',
    'Resources',
    'Outputs',
    'Rules',
    'Transform',
  ]);
  const unknown = Object.keys(parsed).filter(k => !allowed.has(k));
  if (unknown.length) {
    throw validationError(
      `Template format error: Invalid template property or properties [${unknown.join(
        ', ',
      )}]`,
    );
  }
  if (
    parsed.AWSTemplateFormatVersion !== undefined &&
    parsed.AWSTemplateFormatVersion !== '2010-09-09'
  ) {
    throw validationError(
      `Template format error: Unsupported template version ${parsed.AWSTemplateFormatVersion}`,
    );
  }
  return parsed as Template;
}

/** Static checks CloudFormation does before it accepts a template. */
export function validateTemplate(t: Template): void {
  const ids = new Set(Object.keys(t.Resources));
  const unrecognized = new Set<string>();
  for (const [id, def] of Object.entries(t.Resources)) {
    if (!def || typeof def !== 'object' || typeof def.Type !== 'string') {
      throw validationError(
        `Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`,
      );
    }
    if (!/^[A-Za-z0-9]+$/.test(id)) {
      throw validationError(
        `Template format error: Resource name ${id} is non alphanumeric.`,
      );
    }
    if (
      !providers[def.Type] &&
      !def.Type.startsWith('Custom::') &&
      def.Type !== 'AWS::CloudFormation::CustomResource'
    ) {
      unrecognized.add(def.Type);
    }
    if (
      def.Type.startsWith('Custom::') ||
      def.Type === 'AWS::CloudFormation::CustomResource'
    ) {
      unrecognized.add(def.Type);
    }
  }
  if (unrecognized.size) {
    throw validationError(
      `Template format error: Unrecognized resource types: [${[
        ...unrecognized,
      ].join(', ')}]`,
    );
  }
  const params = new Set(Object.keys(t.Parameters ?? {}));
  const unresolved = new Set<string>();
  const checkRefs = (value: any): void => {
    if (Array.isArray(value)) {
      value.forEach(checkRefs);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') {
        if (!ids.has(v) && !params.has(v) && !PSEUDO.includes(v))
          unresolved.add(v);
      } else if (k === 'Fn::GetAtt') {
        const id = getAttTarget(v);
        if (typeof id === 'string' && !ids.has(id)) {
          throw validationError(
            `Template error: instance of Fn::GetAtt references undefined resource ${id}`,
          );
        }
      } else checkRefs(v);
    }
  };
  for (const def of Object.values(t.Resources)) {
    checkRefs(def.Properties);
    for (const dep of [def.DependsOn ?? []].flat()) {
      if (!ids.has(dep)) {
        throw validationError(
          `Template format error: Unresolved resource dependencies [${dep}] in the Resources block of the template`,
        );
      }
    }
    if (def.Condition && !(def.Condition in (t.Conditions ?? {}))) {
      throw validationError(
        `Template format error: Unresolved condition dependency ${def.Condition} in Fn::If`,
      );
    }
  }
  if (unresolved.size) {
    throw validationError(
      `Template format error: Unresolved resource dependencies [${[
        ...unresolved,
      ].join(', ')}] in the Resources block of the template`,
    );
  }
  checkRefs(t.Outputs);
  dependencyOrder(t, () => true);
}

/** Resources in an order that respects Ref/GetAtt/Sub/DependsOn. */
export function dependencyOrder(
  t: Template,
  included: (id: string) => boolean,
): string[] {
  const ids = Object.keys(t.Resources).filter(included);
  const idSet = new Set(ids);
  const deps = new Map<string, Set<string>>();
  for (const id of ids) {
    const def = t.Resources[id];
    const d = references(def.Properties ?? {}, idSet);
    for (const x of [def.DependsOn ?? []].flat()) if (idSet.has(x)) d.add(x);
    d.delete(id);
    deps.set(id, d);
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < ids.length) {
    const ready = ids.filter(
      id => !done.has(id) && [...deps.get(id)!].every(d => done.has(d)),
    );
    if (ready.length === 0) {
      const cycle = ids.filter(id => !done.has(id));
      throw validationError(
        `Circular dependency between resources: [${cycle.join(', ')}]`,
      );
    }
    for (const id of ready) {
      done.add(id);
      order.push(id);
    }
  }
  return order;
}

/** Capabilities the template needs (IAM resources). */
export function requiredCapabilities(t: Template): {
  capability?: string;
  reason?: string;
} {
  const iam = Object.entries(t.Resources).filter(([, d]) =>
    d.Type.startsWith('AWS::IAM::'),
  );
  if (iam.length === 0) return {};
  const named = iam.some(([, d]) =>
    [
      'RoleName',
      'UserName',
      'GroupName',
      'ManagedPolicyName',
      'InstanceProfileName',
    ].some(k => d.Properties?.[k] !== undefined),
  );
  return {
    capability: named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM',
    reason: `The following resource(s) require capabilities: [${[
      ...new Set(iam.map(([, d]) => d.Type)),
    ].join(', ')}]`,
  };
}

export function checkCapabilities(t: Template, given: string[]): void {
  const { capability } = requiredCapabilities(t);
  if (!capability) return;
  const ok =
    given.includes(capability) ||
    (capability === 'CAPABILITY_IAM' && given.includes('CAPABILITY_NAMED_IAM'));
  if (!ok) {
    throw new AwsError(
      'InsufficientCapabilitiesException',
      `Requires capabilities : [${capability}]`,
      400,
      'Sender',
      'InsufficientCapabilities',
    );
  }
}

/**
 * Parameter values for a deployment: given values, previous values
 * (UsePreviousValue), defaults; SSM-typed parameters are resolved.
 */
export function resolveParameters(
  t: Template,
  given: {
    ParameterKey: string;
    ParameterValue?: string;
    UsePreviousValue?: boolean | string;
  }[],
  previous: StackParameter[] | undefined,
  r: RegionState,
): { values: Record<string, string | string[]>; stored: StackParameter[] } {
  const declared = t.Parameters ?? {};
  const unknown = given
    .filter(g => !(g.ParameterKey in declared))
    .map(g => g.ParameterKey);
  if (unknown.length) {
    throw validationError(
      `Parameters: [${unknown.join(', ')}] do not exist in the template`,
    );
  }
  const values: Record<string, string | string[]> = {};
  const stored: StackParameter[] = [];
  const missing: string[] = [];
  for (const [key, decl] of Object.entries(declared)) {
    const g = given.find(x => x.ParameterKey === key);
    let raw: string | undefined;
    if (g && (g.UsePreviousValue === true || g.UsePreviousValue === 'true')) {
      const prev = previous?.find(p => p.ParameterKey === key);
      if (!prev) {
        throw validationError(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
      raw = prev.ParameterValue;
    } else if (g && g.ParameterValue !== undefined) {
      raw = g.ParameterValue;
    } else if (decl.Default !== undefined) {
      raw = String(decl.Default);
    }
    if (raw === undefined) {
      missing.push(key);
      continue;
    }
    const type: string = decl.Type ?? 'String';
    if (decl.AllowedValues && !decl.AllowedValues.map(String).includes(raw)) {
      throw validationError(`Parameter '${key}' must be one of AllowedValues`);
    }
    if (
      decl.AllowedPattern &&
      !new RegExp(`^(?:${decl.AllowedPattern})$`).test(raw)
    ) {
      throw validationError(
        `Parameter '${key}' must match pattern ${decl.AllowedPattern}`,
      );
    }
    if (type === 'Number' && !Number.isFinite(Number(raw))) {
      throw validationError(`Parameter '${key}' must be a number.`);
    }
    let resolved: string | undefined;
    if (type.startsWith('AWS::SSM::Parameter::Value<')) {
      const p = r.ssm.parameters[raw];
      if (!p) {
        throw validationError(
          `Unable to fetch parameters [${raw}] from parameter store for this account.`,
        );
      }
      resolved = p.Value;
    }
    const effective = resolved ?? raw;
    values[key] =
      type.startsWith('List<') ||
      type === 'CommaDelimitedList' ||
      type.includes('::Value<List<') ||
      type === 'AWS::SSM::Parameter::Value<StringList>'
        ? effective.split(',').map(s => s.trim())
        : effective;
    stored.push({
      ParameterKey: key,
      ParameterValue: decl.NoEcho ? raw : raw,
      ...(resolved !== undefined ? { ResolvedValue: resolved } : {}),
    });
  }
  if (missing.length) {
    throw validationError(
      `Parameters: [${missing.join(', ')}] must have values`,
    );
  }
  return { values, stored };
}

/** Conditions evaluated lazily (they may refer to each other). */
export function conditionsFor(
  t: Template,
  base: Omit<Scope, 'conditions'>,
): Record<string, boolean> {
  const defs = t.Conditions ?? {};
  const cache: Record<string, boolean> = {};
  const evaluating = new Set<string>();
  const conditions: Record<string, boolean> = {};
  const scope: Scope = { ...base, conditions };
  for (const name of Object.keys(defs)) {
    Object.defineProperty(conditions, name, {
      enumerable: true,
      get() {
        if (name in cache) return cache[name];
        if (evaluating.has(name))
          throw validationError(`Template error: circular condition ${name}`);
        evaluating.add(name);
        cache[name] = evaluateCondition(defs[name], scope);
        evaluating.delete(name);
        return cache[name];
      },
    });
  }
  return conditions;
}

export { resolve };
