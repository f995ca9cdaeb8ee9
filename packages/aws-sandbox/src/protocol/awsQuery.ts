/*
 * awsQuery: form-encoded input (`Action=...&Version=...&A.member.1.B=...`) and
 * XML output. CloudFormation and STS speak it; CloudWatch too, for the AWS
 * CLI and SDK v2.
 */
import type { QueryCodec } from '../services/types';
import { AwsError } from './errors';
import { decodeQuery, encodeQuery, Shape } from './queryShapes';
import { escapeXml } from './xml';

/**
 * Turns flat query keys into nested objects; `member.N` (lists) and
 * `entry.N.key/value` (maps) become arrays / objects as in the model.
 */
export function decodeQueryInput(params: URLSearchParams): Record<string, any> {
  const root: any = {};
  for (const [rawKey, value] of params) {
    if (rawKey === 'Action' || rawKey === 'Version') continue;
    if (rawKey.startsWith('X-Amz-')) continue;
    const segments = rawKey.split('.');
    let node: any = root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      const last = i === segments.length - 1;
      if ((seg === 'member' || seg === 'entry') && i + 1 < segments.length) {
        continue; // the index that follows addresses the list element
      }
      const prev = segments[i - 1];
      const isIndex =
        (prev === 'member' || prev === 'entry') && /^\d+$/.test(seg);
      const key: string | number = isIndex ? Number(seg) - 1 : seg;
      if (last) {
        node[key] = value;
        break;
      }
      const nextIsList =
        segments[i + 1] === 'member' || segments[i + 1] === 'entry';
      if (node[key] === undefined) node[key] = nextIsList ? [] : {};
      node = node[key];
    }
  }
  return convertEntries(root);
}

/** `entry` lists (query maps) are arrays of {key, value}; make them objects. */
function convertEntries(node: any): any {
  if (Array.isArray(node)) {
    const arr = node.filter(v => v !== undefined).map(convertEntries);
    if (
      arr.length > 0 &&
      arr.every(
        v =>
          v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          Object.keys(v).every(k => k === 'key' || k === 'value') &&
          'key' in v,
      )
    ) {
      return Object.fromEntries(arr.map(v => [v.key, v.value]));
    }
    return arr;
  }
  if (node && typeof node === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(node)) out[k] = convertEntries(v);
    return out;
  }
  return node;
}

export function queryError(
  err: AwsError,
  requestId: string,
  xmlns?: string,
): string {
  const ns = xmlns ? ` xmlns="${xmlns}"` : '';
  return (
    `<ErrorResponse${ns}><Error><Type>${err.fault}</Type>` +
    `<Code>${escapeXml(err.queryCode ?? err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** Query booleans arrive as the strings "true"/"false". */
export function queryBool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return String(value).toLowerCase() === 'true';
}

export function queryInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) {
    throw new AwsError(
      'ValidationError',
      `Invalid value for ${name}: ${String(value)}`,
    );
  }
  return n;
}

/** Input and output shapes of one operation; `output: null` = no output. */
export interface QueryOperationShapes {
  input: Shape;
  output?: Shape | null;
}

/**
 * The awsQuery codec of a service. Operations with shapes get typed input
 * and shape-aware XML (maps as entries); the rest get the untyped decoder,
 * which the CloudFormation and STS handlers are written against.
 */
export function awsQueryCodec(
  version: string,
  xmlns: string,
  shapes: Record<string, QueryOperationShapes> = {},
): QueryCodec {
  return {
    version,
    decode: (operation, form) => {
      const s = shapes[operation];
      return s ? decodeQuery(form, s.input) : decodeQueryInput(form);
    },
    response: (operation, output, requestId) => {
      const s = shapes[operation];
      const result =
        s?.output === null || output === undefined
          ? ''
          : `<${operation}Result>${encodeQuery(
              output,
              s?.output,
            )}</${operation}Result>`;
      return (
        `<${operation}Response xmlns="${xmlns}">${result}` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
        `</${operation}Response>`
      );
    },
    error: (err, requestId) => queryError(err, requestId, xmlns),
  };
}
