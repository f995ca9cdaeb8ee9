/*
 * What SSM checks in a request before it acts: a parameter name's form and
 * depth, and list sizes; and the errors it answers with.
 */
import { AwsError } from '../protocol/errors';

export function invalid(message: string) {
  return new AwsError('ValidationException', message);
}

export function notFound(name: string) {
  return new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
}

export function validateName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  }
  if (name.length > 2048) {
    throw invalid(
      `1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    );
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw invalid(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  }
  const first = name.replace(/^\//, '').split('/')[0].toLowerCase();
  if (first.startsWith('aws') || first.startsWith('ssm')) {
    throw invalid(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw invalid('Parameter name must be a fully qualified name.');
  }
  if (name.split('/').length - 1 > 15) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels.',
    );
  }
  return name;
}

export function checkMax(value: unknown, name: string, max: number) {
  if (value === undefined) return;
  if (typeof value !== 'number' || value < 1 || value > max) {
    throw invalid(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
}
