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

/** Classifies an SDK error name into the types users can act on. */
export function classifyError(error: unknown): EnvironmentErrorType {
  const name = errorName(error);
  const message = shortErrorMessage(error);
  if (
    /^AccessDenied|^UnrecognizedClient|^InvalidClientTokenId|^ExpiredToken|^UnauthorizedOperation|^CredentialsProviderError$|^InvalidSignature|^IncompleteSignature/.test(
      name,
    ) ||
    /no AWS integration that matches/.test(message)
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
  return { type, source, message: `${context}: ${hint[type]} (${detail})` };
}
