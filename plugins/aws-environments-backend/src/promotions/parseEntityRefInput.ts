import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

export function parseEntityRefInput(entityRef: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(entityRef));
  } catch (error) {
    throw new InputError(`${field} is invalid: ${(error as Error).message}`);
  }
}
