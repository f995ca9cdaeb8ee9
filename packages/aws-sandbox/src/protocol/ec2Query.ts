/*
 * EC2's own query dialect (Version 2016-11-15): form input with flat lists
 * (`Filter.1.Name`, `Filter.1.Value.1`, `ZoneName.1`) and XML output with no
 * `<Action>Result` wrapper, a lower-case `<requestId>`, lists as `<item>` and
 * element names from the model's locationName (mostly the member name with
 * a lower-case first letter); errors are `<Response><Errors><Error>`.
 */
import type { QueryCodec } from '../services/types';
import { decodeQuery, Shape } from './queryShapes';
import { escapeXml } from './xml';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export interface Ec2OperationShapes {
  input: Shape;
  /**
   * Output members whose locationName is not the lower-camel member name:
   * `Member`, or `Parent.Member` where the same member name has another
   * locationName elsewhere (`SecurityGroups.Description` is
   * `groupDescription`, an IP range's Description is `description`). Parent
   * is the member that holds the structure (or the list of them).
   */
  locationNames?: Record<string, string>;
}

function toEc2Xml(
  value: unknown,
  names: Record<string, string>,
  parent = '',
): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value
      .filter(v => v !== undefined && v !== null)
      .map(v => `<item>${toEc2Xml(v, names, parent)}</item>`)
      .join('');
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      const name =
        names[`${parent}.${key}`] ??
        names[key] ??
        key[0].toLowerCase() + key.slice(1);
      out += `<${name}>${toEc2Xml(v, names, key)}</${name}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

export function ec2Codec(
  shapes: Record<string, Ec2OperationShapes>,
): QueryCodec {
  return {
    version: '2016-11-15',
    decode: (operation, form) => decodeQuery(form, shapes[operation].input),
    response: (operation, output, requestId) =>
      `<${operation}Response xmlns="${EC2_XMLNS}">` +
      `<requestId>${requestId}</requestId>` +
      `${toEc2Xml(output, shapes[operation].locationNames ?? {})}` +
      `</${operation}Response>`,
    error: (err, requestId) =>
      `<Response><Errors><Error><Code>${escapeXml(
        err.queryCode ?? err.code,
      )}</Code><Message>${escapeXml(err.message)}</Message></Error></Errors>` +
      `<RequestID>${requestId}</RequestID></Response>`,
  };
}
