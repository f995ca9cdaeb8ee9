/*
 * CloudFormation intrinsic functions and conditions. resolve() walks a
 * template value, replacing Ref / Fn::* with concrete values from the scope;
 * AWS::NoValue removes the property. dependencies() finds the resources a
 * definition refers to, which gives the creation order.
 */

/** Marker that removes a property or list element (AWS::NoValue). */
export const NO_VALUE = Symbol('AWS::NoValue');

export class TemplateError extends Error {}

export interface Scope {
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
  parameters: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  mappings: Record<string, any>;
  /** Ref of a resource (its physical id / Ref value). */
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  importValue(name: string): string;
  resourceIds: Set<string>;
}

export const PSEUDO = [
  'AWS::AccountId',
  'AWS::Region',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::NoValue',
  'AWS::NotificationARNs',
];

export function azsFor(region: string): string[] {
  return ['a', 'b', 'c'].map(s => `${region}${s}`);
}

function pseudo(name: string, scope: Scope): unknown {
  switch (name) {
    case 'AWS::AccountId':
      return scope.accountId;
    case 'AWS::Region':
      return scope.region;
    case 'AWS::StackName':
      return scope.stackName;
    case 'AWS::StackId':
      return scope.stackId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::NotificationARNs':
      return [];
    default:
      throw new TemplateError(
        `Template format error: Unrecognized parameter type: ${name}`,
      );
  }
}

function ref(name: string, scope: Scope): unknown {
  if (name.startsWith('AWS::')) return pseudo(name, scope);
  if (name in scope.parameters) return scope.parameters[name];
  if (scope.resourceIds.has(name)) return scope.ref(name);
  throw new TemplateError(
    `Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`,
  );
}

function asString(v: unknown, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(
    `Template error: every ${fn} object requires string values`,
  );
}

function isIntrinsic(value: any): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const k = keys[0];
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')
    ? k
    : undefined;
}

/** Evaluates Fn::Sub's ${...} references. */
function sub(
  template: string,
  vars: Record<string, unknown>,
  scope: Scope,
): string {
  return template.replace(
    /\$\{(!?)([^}]*)\}/g,
    (_m, bang: string, expr: string) => {
      if (bang) return `\${${expr}}`;
      const name = expr.trim();
      if (name in vars) return asString(vars[name], 'Fn::Sub');
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        return asString(
          scope.getAtt(name.slice(0, dot), name.slice(dot + 1)),
          'Fn::Sub',
        );
      }
      const v = ref(name, scope);
      return Array.isArray(v) ? v.join(',') : asString(v, 'Fn::Sub');
    },
  );
}

export function evaluateCondition(value: any, scope: Scope): boolean {
  const v = resolve(value, scope);
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new TemplateError(
    'Template error: condition functions must return a boolean',
  );
}

export function resolve(value: any, scope: Scope): any {
  if (Array.isArray(value)) {
    return value.map(v => resolve(v, scope)).filter(v => v !== NO_VALUE);
  }
  if (!value || typeof value !== 'object') return value;
  const fn = isIntrinsic(value);
  if (!fn) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolve(v, scope);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }
  const arg = value[fn];
  switch (fn) {
    case 'Ref':
      return ref(asString(arg, 'Ref'), scope);
    case 'Condition': {
      const name = asString(arg, 'Condition');
      if (!(name in scope.conditions)) {
        throw new TemplateError(
          `Template format error: Unresolved condition dependency ${name} in Fn::If`,
        );
      }
      return scope.conditions[name];
    }
    case 'Fn::GetAtt': {
      let parts: unknown = arg;
      if (typeof arg === 'string') {
        const dot = arg.indexOf('.');
        parts = [arg.slice(0, dot), arg.slice(dot + 1)];
      }
      if (!Array.isArray(parts) || parts.length !== 2) {
        throw new TemplateError(
          'Template error: every Fn::GetAtt object requires two non-empty parameters',
        );
      }
      const logicalId = asString(parts[0], 'Fn::GetAtt');
      const attr = asString(resolve(parts[1], scope), 'Fn::GetAtt');
      if (!scope.resourceIds.has(logicalId)) {
        throw new TemplateError(
          `Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`,
        );
      }
      return scope.getAtt(logicalId, attr);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        throw new TemplateError(
          'Template error: every Fn::Join object requires two parameters',
        );
      }
      const list = resolve(arg[1], scope);
      if (!Array.isArray(list)) {
        throw new TemplateError(
          'Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined',
        );
      }
      return list
        .map(v => asString(v, 'Fn::Join'))
        .join(asString(arg[0], 'Fn::Join'));
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return sub(arg, {}, scope);
      if (
        !Array.isArray(arg) ||
        arg.length !== 2 ||
        typeof arg[0] !== 'string'
      ) {
        throw new TemplateError(
          "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
        );
      }
      const vars = resolve(arg[1], scope) as Record<string, unknown>;
      return sub(arg[0], vars ?? {}, scope);
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        throw new TemplateError(
          'Template error: Fn::Select requires a list argument with two elements: an integer index and a list',
        );
      }
      const index = Number(resolve(arg[0], scope));
      const list = resolve(arg[1], scope);
      if (
        !Array.isArray(list) ||
        !Number.isInteger(index) ||
        index < 0 ||
        index >= list.length
      ) {
        throw new TemplateError(
          `Template error: Fn::Select cannot select nonexistent value at index ${index}`,
        );
      }
      return list[index];
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        throw new TemplateError(
          'Template error: every Fn::Split object requires two parameters',
        );
      }
      return asString(resolve(arg[1], scope), 'Fn::Split').split(
        asString(arg[0], 'Fn::Split'),
      );
    }
    case 'Fn::GetAZs': {
      const region = resolve(arg, scope);
      return azsFor(
        typeof region === 'string' && region ? region : scope.region,
      );
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolve(arg, scope), 'Fn::Base64')).toString(
        'base64',
      );
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) {
        throw new TemplateError(
          'Template error: every Fn::FindInMap object requires three parameters',
        );
      }
      const [map, top, second] = arg
        .slice(0, 3)
        .map(a => asString(resolve(a, scope), 'Fn::FindInMap'));
      const v = scope.mappings?.[map]?.[top]?.[second];
      if (v === undefined) {
        const fallback = arg[3]?.DefaultValue;
        if (fallback !== undefined) return resolve(fallback, scope);
        throw new TemplateError(
          `Template error: Unable to get mapping for ${map}::${top}::${second}`,
        );
      }
      return v;
    }
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3) {
        throw new TemplateError(
          'Template error: Fn::If requires a list argument with three elements',
        );
      }
      const name = asString(arg[0], 'Fn::If');
      if (!(name in scope.conditions)) {
        throw new TemplateError(
          `Template format error: Unresolved condition dependency ${name} in Fn::If`,
        );
      }
      return resolve(scope.conditions[name] ? arg[1] : arg[2], scope);
    }
    case 'Fn::Equals': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        throw new TemplateError(
          'Template error: Fn::Equals requires a list argument with two elements',
        );
      }
      const [a, b] = arg.map(x => resolve(x, scope));
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::Not': {
      if (!Array.isArray(arg) || arg.length !== 1) {
        throw new TemplateError(
          'Template error: Fn::Not requires a list argument with one element',
        );
      }
      return !evaluateCondition(arg[0], scope);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) {
        throw new TemplateError(
          `Template error: ${fn} requires a list argument with between 2 and 10 elements`,
        );
      }
      const values = arg.map(x => evaluateCondition(x, scope));
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::ImportValue':
      return scope.importValue(
        asString(resolve(arg, scope), 'Fn::ImportValue'),
      );
    case 'Fn::Cidr': {
      if (!Array.isArray(arg) || arg.length !== 3) {
        throw new TemplateError(
          'Template error: Fn::Cidr requires three parameters',
        );
      }
      const [block, count, bits] = arg.map(x => resolve(x, scope));
      return cidrSubnets(String(block), Number(count), Number(bits));
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolve(arg, scope));
    case 'Fn::Length': {
      const list = resolve(arg, scope);
      if (!Array.isArray(list))
        throw new TemplateError('Template error: Fn::Length requires a list');
      return list.length;
    }
    default:
      throw new TemplateError(
        `Template format error: Unrecognized function ${fn}`,
      );
  }
}

function cidrSubnets(block: string, count: number, bits: number): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!m || count < 1 || count > 256 || bits < 1 || bits > 32) {
    throw new TemplateError('Template error: invalid Fn::Cidr arguments');
  }
  const base = ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
  const prefix = 32 - bits;
  if (prefix < Number(m[5]))
    throw new TemplateError(
      'Template error: Fn::Cidr subnet is larger than the block',
    );
  const out = [];
  for (let i = 0; i < count; i++) {
    const addr = (base + i * 2 ** bits) >>> 0;
    out.push(
      `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${
        addr & 255
      }/${prefix}`,
    );
  }
  return out;
}

/** The logical id in a Fn::GetAtt argument ("Id.Attr" or [Id, Attr]). */
export function getAttTarget(v: unknown): unknown {
  if (typeof v === 'string') return v.split('.')[0];
  if (Array.isArray(v)) return v[0];
  return undefined;
}

/** Logical ids a value refers to (Ref, Fn::GetAtt, Fn::Sub variables). */
export function references(
  value: any,
  resourceIds: Set<string>,
  out = new Set<string>(),
): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) references(v, resourceIds, out);
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' && typeof v === 'string' && resourceIds.has(v)) out.add(v);
    else if (k === 'Fn::GetAtt') {
      const id = getAttTarget(v);
      if (typeof id === 'string' && resourceIds.has(id)) out.add(id);
      if (Array.isArray(v)) references(v[1], resourceIds, out);
    } else if (k === 'Fn::Sub') {
      let text: unknown = '';
      if (typeof v === 'string') text = v;
      else if (Array.isArray(v)) text = v[0];
      const local =
        Array.isArray(v) && v[1] && typeof v[1] === 'object'
          ? Object.keys(v[1])
          : [];
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = m[1].trim().split('.')[0];
          if (resourceIds.has(name) && !local.includes(m[1].trim()))
            out.add(name);
        }
      }
      if (Array.isArray(v)) references(v[1], resourceIds, out);
    } else references(v, resourceIds, out);
  }
  return out;
}
