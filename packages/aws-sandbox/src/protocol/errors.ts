/*
 * One error type for every service. Services throw AwsError with the code AWS
 * uses; the protocol layer renders it the way the calling SDK expects
 * (JSON `__type` or query `<ErrorResponse>`), so clients get typed exceptions.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = status >= 500
      ? 'Receiver'
      : 'Sender',
    /** The awsQuery-compatible code (CloudWatch over JSON), when it differs. */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const validation = (message: string) =>
  new AwsError('ValidationException', message);

/** Asserts a required input member, the way AWS's request validation does. */
export function required<T>(
  value: T | undefined | null,
  name: string,
  code = 'ValidationException',
): T {
  if (value === undefined || value === null || (value as unknown) === '') {
    throw new AwsError(
      code,
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
