/*
 * awsJson1_0 / awsJson1_1: POST / with X-Amz-Target and a JSON body. Output
 * timestamps are epoch seconds; errors carry `__type`.
 */
import { AwsError } from './errors';

/** Dates become epoch seconds, which the JSON protocols use for timestamps. */
export function toJsonBody(value: unknown): string {
  // JSON.stringify calls Date.toJSON before a replacer sees the value, so
  // look at the holder's original member instead.
  return JSON.stringify(
    value ?? {},
    function replacer(this: any, key: string, v: unknown) {
      const raw = this[key];
      if (raw instanceof Date) return raw.getTime() / 1000;
      return v;
    },
  );
}

function dateReviver(this: unknown, _key: string, value: unknown) {
  return value;
}

export function parseJsonBody(body: string): Record<string, any> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body, dateReviver);
  } catch {
    throw new AwsError(
      'SerializationException',
      'Unable to parse request body as JSON',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError(
      'SerializationException',
      'Request body must be a JSON object',
    );
  }
  return parsed as Record<string, any>;
}

export function jsonError(err: AwsError): string {
  return JSON.stringify({ __type: err.code, message: err.message });
}

/** JSON timestamps arrive as epoch seconds (number) or ISO strings. */
export function jsonTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Math.round(value * 1000);
  const t = Date.parse(String(value));
  if (Number.isNaN(t)) {
    throw new AwsError('ValidationException', `Invalid timestamp: ${value}`);
  }
  return t;
}
