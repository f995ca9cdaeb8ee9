/*
 * CloudWatch's errors. Over JSON the SDK finds the exception class by the
 * shape name (`__type`) and reads the query code from x-amzn-query-error, so
 * modelled errors carry both; the query protocol shows only the query code.
 * Request validation failures are ValidationException over JSON and
 * `ValidationError` over query, in Coral's "N validation errors detected"
 * wording.
 */
import { AwsError } from '../protocol/errors';

export const invalidValue = (m: string) =>
  new AwsError(
    'InvalidParameterValueException',
    m,
    400,
    'Sender',
    'InvalidParameterValue',
  );

export const missing = (name: string) =>
  new AwsError(
    'MissingRequiredParameterException',
    `The parameter ${name} is required.`,
    400,
    'Sender',
    'MissingParameter',
  );

export const combination = (m: string) =>
  new AwsError(
    'InvalidParameterCombinationException',
    m,
    400,
    'Sender',
    'InvalidParameterCombination',
  );

export const validationError = (m: string) =>
  new AwsError('ValidationException', m, 400, 'Sender', 'ValidationError');

/** AWS sends this one without a message. */
export const resourceNotFound = () =>
  new AwsError('ResourceNotFound', '', 404, 'Sender');

export const invalidFormat = (m: string) =>
  new AwsError('InvalidFormatFault', m, 400, 'Sender', 'InvalidFormat');

/** How Coral prints a value in a constraint message. */
function shown(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

/**
 * The model's constraints on an input (enums, lengths, minimums), checked
 * all at once: AWS reports every violation in one ValidationError.
 */
export class Constraints {
  private readonly problems: string[] = [];

  private fail(name: string, value: unknown, constraint: string) {
    this.problems.push(
      `Value ${
        value === undefined || value === null ? 'null' : `'${shown(value)}'`
      } at '${name}' failed to satisfy constraint: ${constraint}`,
    );
  }

  notNull(name: string, value: unknown): this {
    if (value === undefined || value === null)
      this.fail(name, value, 'Member must not be null');
    return this;
  }

  oneOf(name: string, value: unknown, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value as string)) {
      this.fail(
        name,
        value,
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
    return this;
  }

  /** Every member of a list is one of `allowed`. */
  eachOneOf(name: string, value: unknown, allowed: readonly string[]): this {
    if (
      Array.isArray(value) &&
      value.some(v => !allowed.includes(v as string))
    ) {
      this.fail(
        name,
        value,
        `Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(
          ', ',
        )}]]`,
      );
    }
    return this;
  }

  /** String or list length. */
  length(name: string, value: unknown, min: number, max: number): this {
    if (typeof value !== 'string' && !Array.isArray(value)) return this;
    if (value.length < min)
      this.fail(
        name,
        value,
        `Member must have length greater than or equal to ${min}`,
      );
    else if (value.length > max)
      this.fail(
        name,
        value,
        `Member must have length less than or equal to ${max}`,
      );
    return this;
  }

  atLeast(name: string, value: unknown, min: number): this {
    if (value !== undefined && !(Number(value) >= min))
      this.fail(
        name,
        value,
        `Member must have value greater than or equal to ${min}`,
      );
    return this;
  }

  atMost(name: string, value: unknown, max: number): this {
    if (value !== undefined && !(Number(value) <= max))
      this.fail(
        name,
        value,
        `Member must have value less than or equal to ${max}`,
      );
    return this;
  }

  pattern(name: string, value: unknown, re: RegExp, source: string): this {
    if (typeof value === 'string' && !re.test(value))
      this.fail(
        name,
        value,
        `Member must satisfy regular expression pattern: ${source}`,
      );
    return this;
  }

  check(): void {
    const n = this.problems.length;
    if (n === 0) return;
    throw validationError(
      `${n} validation error${n > 1 ? 's' : ''} detected: ${this.problems.join(
        '; ',
      )}`,
    );
  }
}
