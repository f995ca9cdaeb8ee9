import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_PROJECT } from '@envplane/plugin-aws-environments-common';

/** True when the entity carries the project annotation the tab reads. */
export function hasProjectAnnotation(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_PROJECT]);
}

/**
 * True for Components that carry the project annotation. Systems and the
 * `aws-environment` Resources carry the same annotation, but only a
 * Component has an ECS service per environment for the tab to show.
 *
 * @public
 */
export function isAwsEnvironmentsAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    hasProjectAnnotation(entity)
  );
}
