import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_PROJECT,
  projectOf,
} from '@envplane/plugin-aws-environments-common';

/** One environment of one project. */
export interface ProjectEnvironment {
  project: string;
  environment: string;
}

/**
 * Every (project, environment) the catalog's entities name, each once even
 * when a component, its system and its environments' resources name the
 * same project: what the status snapshots and the drift checks cover.
 */
export async function discoverProjectEnvironments(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  configured: string[],
): Promise<ProjectEnvironment[]> {
  const keys = new Map<string, ProjectEnvironment>();
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: 500 }
        : {
            filter: {
              [`metadata.annotations.${ANNOTATION_PROJECT}`]:
                CATALOG_FILTER_EXISTS,
            },
            fields: ['kind', 'metadata.name', 'metadata.annotations'],
            limit: 500,
          },
      { credentials },
    );
    for (const entity of page.items) {
      try {
        const { project, environments } = projectOf(entity, configured);
        // An environment's Resource names its one environment; read as a
        // project entity it would stand for every configured one, and the
        // snapshots and drift checks would read environments the project
        // was never provisioned in.
        const one = entity.metadata.annotations?.[ANNOTATION_ENVIRONMENT];
        for (const environment of one !== undefined
          ? environments.filter(e => e === one)
          : environments) {
          const key = { project, environment };
          keys.set(`${project}|${environment}`, key);
        }
      } catch {
        // An invalid annotation shows as an error on the entity's page.
      }
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return [...keys.values()];
}
