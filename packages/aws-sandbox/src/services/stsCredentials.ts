/*
 * Temporary credentials and role ids for STS.
 *
 * Keys come from the operating system's random source, not the sandbox's
 * seeded stream: clients cache what they learn per access key (toolkit-lib
 * keeps each key's account under ~/.cdk), so a key handed out again in a
 * later run, for another account, would be taken for the first one. AWS
 * never hands out a key twice.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The 32 characters AWS access key ids are made of. */
const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function keyChars(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += KEY_CHARS[bytes[i] % 32];
  return out;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Opaque to clients; names the key so a log line can be traced. */
  sessionToken: string;
}

export function mintTemporaryCredentials(): TemporaryCredentials {
  const accessKeyId = `ASIA${keyChars(randomBytes(16), 16)}`;
  return {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: Buffer.from(
      `sandbox-session:${accessKeyId}:${randomBytes(32).toString('hex')}`,
    ).toString('base64'),
  };
}

/**
 * A role's unique id (AROA…), the same for every session of the role, as
 * IAM gives each role one id for its lifetime.
 */
export function roleUniqueId(roleArn: string): string {
  return `AROA${keyChars(createHash('sha256').update(roleArn).digest(), 17)}`;
}
