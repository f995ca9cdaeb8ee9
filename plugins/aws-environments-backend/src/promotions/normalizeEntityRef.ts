import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Entity refs in config may omit the kind or the namespace
 * (`prod-approvers`, `group:prod-approvers`); this spells them out in full
 * so they compare equal to the refs Backstage hands out.
 */
export function normalizeEntityRef(ref: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  );
}
