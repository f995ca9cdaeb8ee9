/*
 * Model-driven reading of query-protocol forms and writing of XML results.
 * The query protocol sends every value as a string and lists and maps as
 * numbered keys (`Dimensions.member.1.Name`, `Tags.entry.1.key`; EC2:
 * `Filter.1.Name`), so a handler written against the JSON protocol's typed
 * input needs the model's shapes to get numbers, booleans, lists and maps
 * back. Only the members a handler reads need describing: others are ignored,
 * as AWS ignores unknown parameters.
 */
import { AwsError } from './errors';
import { toXml } from './xml';

export type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'timestamp'
  | { list: Shape; flat?: boolean }
  | { map: Shape }
  | { struct: Record<string, Shape> };

export const list = (member: Shape): Shape => ({ list: member });
/** EC2's lists: `Name.1`, `Name.2` with no `member` segment. */
export const flatList = (member: Shape): Shape => ({
  list: member,
  flat: true,
});
export const map = (value: Shape): Shape => ({ map: value });
export const struct = (members: Record<string, Shape>): Shape => ({
  struct: members,
});

class Form {
  private readonly values = new Map<string, string>();
  /** Every key and every dotted prefix of one, to tell which members exist. */
  private readonly prefixes = new Set<string>();

  constructor(params: URLSearchParams) {
    for (const [key, value] of params) {
      this.values.set(key, value);
      const parts = key.split('.');
      for (let i = 1; i <= parts.length; i++) {
        this.prefixes.add(parts.slice(0, i).join('.'));
      }
    }
  }

  has(key: string) {
    return this.prefixes.has(key);
  }

  get(key: string) {
    return this.values.get(key);
  }
}

function invalid(value: string, key: string, type: string) {
  return new AwsError(
    'InvalidParameterValue',
    `Value (${value}) for parameter ${key} is invalid. Expected a ${type}.`,
  );
}

function read(form: Form, key: string, shape: Shape): unknown {
  if (typeof shape === 'string') {
    const value = form.get(key);
    if (value === undefined) return undefined;
    switch (shape) {
      case 'number': {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n))
          throw invalid(value, key, 'number');
        return n;
      }
      case 'boolean':
        if (value !== 'true' && value !== 'false')
          throw invalid(value, key, 'boolean');
        return value === 'true';
      default:
        // Timestamps stay ISO 8601 strings, which the handlers parse.
        return value;
    }
  }
  if ('struct' in shape) {
    if (key && !form.has(key)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.struct)) {
      const v = read(form, key ? `${key}.${name}` : name, member);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (!form.has(key)) return undefined;
  // An empty list or map is sent as the bare key with an empty value.
  if (form.get(key) === '') return 'list' in shape ? [] : {};
  if ('list' in shape) {
    const base = shape.flat ? key : `${key}.member`;
    const items: unknown[] = [];
    for (let i = 1; form.has(`${base}.${i}`); i++) {
      items.push(read(form, `${base}.${i}`, shape.list));
    }
    return items;
  }
  const entries: Record<string, unknown> = {};
  for (let i = 1; form.has(`${key}.entry.${i}`); i++) {
    const k = form.get(`${key}.entry.${i}.key`);
    if (k !== undefined) {
      entries[k] = read(form, `${key}.entry.${i}.value`, shape.map);
    }
  }
  return entries;
}

/** The operation's input from a query form, typed by its input shape. */
export function decodeQuery(
  params: URLSearchParams,
  input: Shape,
): Record<string, any> {
  return (read(new Form(params), '', input) ?? {}) as Record<string, any>;
}

/**
 * A result as query XML: lists as `<member>`, maps as
 * `<entry><key/><value/></entry>`, timestamps as ISO 8601. Members the shape
 * does not describe are written by their JavaScript type.
 */
export function encodeQuery(value: unknown, shape?: Shape): string {
  if (value === undefined || value === null) return '';
  if (!shape || typeof shape === 'string') return toXml(value);
  if ('list' in shape && Array.isArray(value)) {
    return value
      .filter(v => v !== undefined && v !== null)
      .map(v => `<member>${encodeQuery(v, shape.list)}</member>`)
      .join('');
  }
  if ('map' in shape && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(
        ([k, v]) =>
          `<entry><key>${toXml(k)}</key><value>${encodeQuery(
            v,
            shape.map,
          )}</value></entry>`,
      )
      .join('');
  }
  if ('struct' in shape && typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${encodeQuery(v, shape.struct[k])}</${k}>`;
    }
    return out;
  }
  return toXml(value);
}
