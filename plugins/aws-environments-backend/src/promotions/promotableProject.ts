import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_PROJECT,
  errorMessage,
  projectOf,
} from '@envplane/plugin-aws-environments-common';

/**
 * A promotion belongs to a project, and a project's deployable unit in the
 * catalog is a Component carrying the project annotation. Systems and
 * resources may carry the annotation too (the entity provider sets it on
 * stacks), but asking through them would let one project hold several open
 * requests, so only Components may ask.
 */
export function promotableProject(
  entity: Entity,
  entityRef: string,
  configured: string[],
): { project: string; environments: string[] } {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `entityRef: ${entityRef} is a ${entity.kind}; promotions are requested through the Component that carries the ${ANNOTATION_PROJECT} annotation`,
    );
  }
  try {
    return projectOf(entity, configured);
  } catch (error) {
    throw new InputError(`entityRef: ${errorMessage(error)}`);
  }
}
