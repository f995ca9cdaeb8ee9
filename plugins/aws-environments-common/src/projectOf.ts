import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ANNOTATION_ENVIRONMENTS, ANNOTATION_PROJECT } from './annotations';
import { validateProjectName } from './naming';

/**
 * The project and environment names an entity's annotations declare: the
 * {@link ANNOTATION_PROJECT} annotation, and of the `configured`
 * environments the ones {@link ANNOTATION_ENVIRONMENTS} lists (all of them
 * when it is absent). Throws an `InputError` when the project annotation is
 * missing or not a valid project name.
 *
 * @public
 */
export function projectOf(
  entity: Entity,
  configured: string[],
): { project: string; environments: string[] } {
  const annotations = entity.metadata.annotations ?? {};
  const project = annotations[ANNOTATION_PROJECT]?.trim();
  if (!project) {
    throw new InputError(
      `The entity has no ${ANNOTATION_PROJECT} annotation. Add it with the project name the environments were provisioned for (e.g. "${ANNOTATION_PROJECT}: shop"); optionally list environments in ${ANNOTATION_ENVIRONMENTS} (e.g. "test,qa"), otherwise all configured environments (${configured.join(
        ', ',
      )}) are shown.`,
    );
  }
  const invalid = validateProjectName(project);
  if (invalid) {
    throw new InputError(
      `The ${ANNOTATION_PROJECT} annotation "${project}" is invalid: it ${invalid}`,
    );
  }
  const listed = annotations[ANNOTATION_ENVIRONMENTS];
  if (listed === undefined) {
    return { project, environments: configured };
  }
  // Names the config does not know are ignored: the annotation may list an
  // environment this portal does not manage.
  const names = new Set(listed.split(',').map(s => s.trim()));
  return { project, environments: configured.filter(name => names.has(name)) };
}
