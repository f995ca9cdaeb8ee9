import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { randomBytes } from 'node:crypto';

export interface WrittenSecret {
  name: string;
  /** True when this call created the parameter (so a failure may delete it). */
  created: boolean;
  /** True when an existing parameter got the new value. */
  overwritten: boolean;
  /**
   * Puts back the value the parameter had before it was overwritten, for a
   * deploy whose update did not take effect. A closure so that the old value
   * stays in memory only: it is in no field that could be logged or output.
   * Writes only when the parameter is still at the version this run wrote
   * (see {@link RestoreResult}); never throws a text that holds a value.
   */
  restorePrevious?: () => Promise<RestoreResult>;
}

/**
 * - `restored`: the previous value is back.
 * - `changed`: the parameter is no longer at the version this run wrote
 *   (rotated by hand, written by another run, or deleted); nothing written.
 * - `unknown`: SSM did not say which version this run wrote, so a change
 *   since could not be ruled out; nothing written.
 */
export type RestoreResult = 'restored' | 'changed' | 'unknown';

/** A random value for environments whose secret the user did not give. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Makes sure the app secret exists as a SecureString (AWS-managed key
 * `alias/aws/ssm`, which ECS can inject without extra KMS permissions).
 *
 * - With a value: creates it, or overwrites the existing one (re-run),
 *   reading the old value first so that a failed deploy can restore it
 *   (only over the version written here, see `restorePrevious`).
 * - Without: creates it with a random value, or keeps the existing value so
 *   that re-running the wizard does not rotate a secret nobody asked to
 *   rotate.
 *
 * Creation and overwrite are separate calls because SSM refuses tags
 * together with Overwrite, and because whether this run created the
 * parameter decides whether a failed stack may delete it.
 */
export async function ensureSecret(
  ssm: SSMClient,
  name: string,
  value: string | undefined,
  tags: Record<string, string>,
): Promise<WrittenSecret> {
  const initial = value ?? generateSecret();
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'SecureString',
        Value: initial,
        Overwrite: false,
        Description: 'App secret, injected into the ECS tasks as APP_SECRET',
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return { name, created: true, overwritten: false };
  } catch (error) {
    if (!isError(error, ParameterAlreadyExists, 'ParameterAlreadyExists')) {
      throw withoutSecret(error, initial);
    }
  }
  if (value === undefined) {
    return { name, created: false, overwritten: false };
  }
  let previous: string | undefined;
  try {
    const current = await ssm.send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
    );
    previous = current.Parameter?.Value;
  } catch (error) {
    throw withoutSecret(error, value);
  }
  if (previous === value) {
    // Same value: no new version, nothing to restore.
    return { name, created: false, overwritten: false };
  }
  const written = await putSecureString(ssm, name, value);
  return {
    name,
    created: false,
    overwritten: true,
    restorePrevious:
      previous === undefined
        ? undefined
        : () => restoreIfUnchanged(ssm, name, previous!, written),
  };
}

/**
 * Writes `previous` back only if the parameter is still at `written`, the
 * version this run's overwrite produced: a value rotated by hand or written
 * by another run in between is left alone. The check reads metadata only
 * (no decryption). SSM has no conditional write, so a change in the moment
 * between the check and the write cannot be excluded.
 */
async function restoreIfUnchanged(
  ssm: SSMClient,
  name: string,
  previous: string,
  written: number | undefined,
): Promise<RestoreResult> {
  if (written === undefined) return 'unknown';
  let current: number | undefined;
  try {
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: name, WithDecryption: false }),
    );
    current = Parameter?.Version;
  } catch (error) {
    if (isError(error, ParameterNotFound, 'ParameterNotFound')) {
      return 'changed';
    }
    throw withoutSecret(error, previous);
  }
  if (current !== written) return 'changed';
  await putSecureString(ssm, name, previous);
  return 'restored';
}

/** Overwrites the parameter; resolves to the version SSM gave the value. */
async function putSecureString(
  ssm: SSMClient,
  name: string,
  value: string,
): Promise<number | undefined> {
  try {
    const { Version } = await ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'SecureString',
        Value: value,
        Overwrite: true,
      }),
    );
    return Version;
  } catch (error) {
    throw withoutSecret(error, value);
  }
}

export async function deleteSecret(
  ssm: SSMClient,
  name: string,
): Promise<boolean> {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }));
    return true;
  } catch (error) {
    if (isError(error, ParameterNotFound, 'ParameterNotFound')) {
      return false;
    }
    throw error;
  }
}

/** Deletes every parameter under `path` (e.g. `/devops-app/qa/`). */
export async function deleteParametersUnder(
  ssm: SSMClient,
  path: string,
): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({
        Path: path.replace(/\/$/, ''),
        Recursive: true,
        // Names only; values are never read.
        WithDecryption: false,
        NextToken,
      }),
    );
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name) names.push(parameter.Name);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  // DeleteParameters takes at most 10 names.
  for (let i = 0; i < names.length; i += 10) {
    await ssm.send(
      new DeleteParametersCommand({ Names: names.slice(i, i + 10) }),
    );
  }
  return names;
}

function isError(error: unknown, type: Function, name: string): boolean {
  return (
    error instanceof type ||
    (error as { name?: string } | undefined)?.name === name
  );
}

/** SDK errors should never quote a parameter value, but make sure. */
function withoutSecret(error: unknown, value: string | undefined): unknown {
  if (value && error instanceof Error && error.message.includes(value)) {
    const clean = new Error(error.message.split(value).join('***'));
    clean.name = error.name;
    return clean;
  }
  return error;
}
