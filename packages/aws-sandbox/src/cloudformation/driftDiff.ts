/*
 * How drift detection compares a resource's expected properties (the
 * template's, intrinsics resolved) with its actual ones: only what the
 * template sets is compared; lists are compared as sets, as CloudFormation
 * does for rules, subnets and tags (an extra element is ADD, a missing one
 * REMOVE); a property the live object lacks is REMOVE; any other difference
 * NOT_EQUAL. Paths and values read as CloudFormation writes them:
 * `/DeploymentConfiguration/MaximumPercent`, `"128"`, JSON for structures.
 */
import type { PropertyDifference } from '../stateCloudFormation';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** JSON with keys sorted, so equal structures print (and compare) alike. */
export function canonicalJson(value: Json): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const k of Object.keys(value).sort()) {
    if (value[k] !== undefined) out[k] = sortKeys(value[k]);
  }
  return out;
}

/** A value as PropertyDifference shows it: scalars bare, structures as JSON. */
function shown(value: Json): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') return canonicalJson(value);
  return String(value);
}

/**
 * Template values arrive as the template wrote them (a parameter makes a
 * number a string); the service stores typed values. An expected scalar
 * that reads the same as the actual one takes its type.
 */
export function coerce(expected: Json, actual: Json): Json {
  if (isObject(expected) && isObject(actual)) {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(expected))
      out[k] = coerce(v, actual[k]);
    return out;
  }
  if (Array.isArray(expected)) {
    const sample = Array.isArray(actual) ? actual[0] : undefined;
    return expected.map(e =>
      isObject(e) || Array.isArray(e) ? e : coerce(e, sample),
    );
  }
  if (typeof expected === 'string') {
    if (typeof actual === 'number' && String(actual) === expected.trim()) {
      return actual;
    }
    if (typeof actual === 'boolean' && String(actual) === expected) {
      return actual;
    }
  }
  return expected;
}

/** Keeps only what the template sets, at every level of nested structures. */
export function restrict(actual: Json, expected: Json): Json {
  if (!isObject(actual) || !isObject(expected)) return actual;
  const out: Record<string, Json> = {};
  for (const k of Object.keys(expected)) {
    if (actual[k] !== undefined) out[k] = restrict(actual[k], expected[k]);
  }
  return out;
}

export function propertyDifferences(
  expected: Json,
  actual: Json,
  path = '',
  out: PropertyDifference[] = [],
): PropertyDifference[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const unmatched = actual.map(canonicalJson);
    const missing: number[] = [];
    expected.forEach((e, i) => {
      const at = unmatched.indexOf(canonicalJson(e));
      if (at >= 0) unmatched[at] = '\u0000matched';
      else missing.push(i);
    });
    for (const i of missing) {
      out.push({
        PropertyPath: `${path}/${i}`,
        ExpectedValue: shown(expected[i]),
        ActualValue: 'null',
        DifferenceType: 'REMOVE',
      });
    }
    unmatched.forEach((u, i) => {
      if (u === '\u0000matched') return;
      out.push({
        PropertyPath: `${path}/${i}`,
        ExpectedValue: 'null',
        ActualValue: shown(actual[i]),
        DifferenceType: 'ADD',
      });
    });
    return out;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const k of Object.keys(expected).sort()) {
      if (expected[k] === undefined) continue;
      if (actual[k] === undefined) {
        out.push({
          PropertyPath: `${path}/${k}`,
          ExpectedValue: shown(expected[k]),
          ActualValue: 'null',
          DifferenceType: 'REMOVE',
        });
      } else {
        propertyDifferences(expected[k], actual[k], `${path}/${k}`, out);
      }
    }
    return out;
  }
  if (canonicalJson(expected) !== canonicalJson(actual)) {
    out.push({
      PropertyPath: path,
      ExpectedValue: shown(expected),
      ActualValue: shown(actual),
      DifferenceType: 'NOT_EQUAL',
    });
  }
  return out;
}
