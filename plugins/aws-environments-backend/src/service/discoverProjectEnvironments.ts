import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
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
 * when a component and its system name the same project: what the status
 * snapshots and the drift checks cover.
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
        for (const environment of environments) {
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
