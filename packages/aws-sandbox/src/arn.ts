/*
 * Reading the account out of an ARN a client passed, so a service can tell a
 * reference to another account's resource from one to its caller's own.
 */

/** The account field of an ARN; undefined for a name, an id or no account (S3). */
export function arnAccount(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('arn:')) return undefined;
  return ref.split(':')[4] || undefined;
}

/** Whether `ref` is an ARN of an account other than `account`. */
export function isForeignArn(ref: unknown, account: string): boolean {
  const owner = arnAccount(ref);
  return owner !== undefined && owner !== account;
}
