/*
 * The roles STS AssumeRole accepts. AWS assumes a role only if it exists and
 * its trust policy names the caller; the sandbox has no IAM, so a configured
 * list of role ARNs stands for "exists and trusts everyone". Without a list
 * every well-formed role ARN is accepted, as scripts and tests written
 * before accounts existed expect.
 */

export const ROLE_ARN =
  /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export class Roles {
  private allowed?: Set<string>;

  constructor(roles?: string[]) {
    this.set(roles);
  }

  /** Replaces the list; undefined accepts every role. Throws on a bad ARN. */
  set(roles: string[] | undefined): void {
    if (roles === undefined) {
      this.allowed = undefined;
      return;
    }
    const bad = roles.filter(r => typeof r !== 'string' || !ROLE_ARN.test(r));
    if (bad.length > 0) {
      throw new Error(`Not role ARNs: ${bad.map(String).join(', ')}`);
    }
    this.allowed = new Set(roles);
  }

  /** The configured roles, or undefined when any role is accepted. */
  list(): string[] | undefined {
    return this.allowed ? [...this.allowed].sort() : undefined;
  }

  allows(roleArn: string): boolean {
    return !this.allowed || this.allowed.has(roleArn);
  }
}

/** `--roles` / AWS_SANDBOX_ROLES: role ARNs separated by commas or spaces. */
export function parseRoleList(text: string | undefined): string[] | undefined {
  const roles = (text ?? '').split(/[\s,]+/).filter(Boolean);
  return roles.length > 0 ? roles : undefined;
}
