import {
  EnvironmentDataSource,
  EnvironmentError,
  EnvironmentErrorType,
  errorMessage,
} from '@envplane/plugin-aws-environments-common';

/** The SDK error name (or code) of anything thrown. */
export function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const candidate of [e.name, e.Code, e.code]) {
      if (typeof candidate === 'string' && candidate !== 'Error') {
        return candidate;
      }
    }
  }
  return 'Error';
}

/** The message of anything thrown, short enough to cache and show. */
export function shortErrorMessage(error: unknown): string {
  const message = errorMessage(error ?? 'unknown error');
  // SDK messages are short; cap them anyway so an odd one cannot bloat
  // every cached response.
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

/** STS's answer to an AssumeRole it refuses names the role. */
const ASSUME_ROLE_REFUSED = /\bsts:AssumeRole on resource: (arn:\S+)/;
const NO_INTEGRATION = /no AWS integration that matches/;

/**
 * Why no call could be made in an account: the role AssumeRole refused
 * (it does not exist there, or does not trust the backend's identity), no
 * `aws` config for the account, or no credentials at all. Every source of
 * the account fails alike, so a reader reports it once, for the account.
 */
export function credentialsFailure(
  error: unknown,
): { roleArn?: string; hint: string } | undefined {
  const message = errorMessage(error ?? '');
  const roleArn = ASSUME_ROLE_REFUSED.exec(message)?.[1];
  if (roleArn) {
    return {
      roleArn,
      hint: `access denied; the role ${roleArn} cannot be assumed: check that it exists in this account and trusts the AWS identity the Backstage backend runs as`,
    };
  }
  if (NO_INTEGRATION.test(message)) {
    return {
      hint: 'access denied; no credentials for it: add the account to aws.accounts or set aws.accountDefaults.roleName in the app config',
    };
  }
  if (errorName(error) === 'CredentialsProviderError') {
    return {
      hint: "access denied; the AWS SDK could not load the Backstage backend's own credentials (see aws.mainAccount in the app config)",
    };
  }
  return undefined;
}

/** Classifies an SDK error name into the types users can act on. */
export function classifyError(error: unknown): EnvironmentErrorType {
  const name = errorName(error);
  if (
    /^AccessDenied|^UnrecognizedClient|^InvalidClientTokenId|^ExpiredToken|^UnauthorizedOperation|^CredentialsProviderError$|^InvalidSignature|^IncompleteSignature/.test(
      name,
    ) ||
    credentialsFailure(error)
  ) {
    return 'ACCESS_DENIED';
  }
  if (/^Throttling|TooManyRequests|RequestLimitExceeded|Throttled/.test(name)) {
    return 'THROTTLED';
  }
  if (/NotFound|^ResourceNotFound|DoesNotExist/.test(name)) {
    return 'NOT_FOUND';
  }
  if (/^TimeoutError$|^AbortError$|^RequestTimeout/.test(name)) {
    return 'TIMEOUT';
  }
  return 'UNKNOWN';
}

/** A typed error for one source, worded so the reader knows what to do. */
export function toEnvironmentError(
  error: unknown,
  source: EnvironmentDataSource,
  context: string,
): EnvironmentError {
  const type = classifyError(error);
  const detail = `${errorName(error)}: ${shortErrorMessage(error)}`;
  const hint: Record<EnvironmentErrorType, string> = {
    NOT_FOUND: 'not found',
    ACCESS_DENIED:
      'access denied; check the IAM policy of the Backstage role for this account',
    THROTTLED: 'throttled by AWS; showing what else could be read',
    TIMEOUT: 'timed out',
    UNKNOWN: 'failed',
  };
  const credentials = credentialsFailure(error);
  return {
    type,
    source,
    message: `${context}: ${credentials?.hint ?? hint[type]} (${detail})`,
  };
}
