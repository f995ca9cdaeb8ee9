import { Entity } from '@backstage/catalog-model';

/** An entity named `x` of the given kind, with just these annotations. */
export const entity = (
  annotations?: Record<string, string>,
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
});
