import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_PROJECT } from '@internal/plugin-aws-environments-common';

/** True when the entity carries the annotation the Environments tab needs. */
export function isAwsEnvironmentsAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_PROJECT]);
}
