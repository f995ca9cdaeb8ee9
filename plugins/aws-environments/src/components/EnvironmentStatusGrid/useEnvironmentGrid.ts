import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EnvironmentStatus,
  PromotionSummaryResponse,
} from '@internal/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';

export interface GridRow {
  entity: Entity;
  entityRef: string;
  /** Per environment name; absent when the entity has no such environment. */
  environments: Record<string, EnvironmentStatus>;
  /** Set when the entity's status could not be read at all. */
  error?: Error;
}

/**
 * Each entity's status is one request (the backend fans out to AWS and
 * caches); a few at a time keeps a page of many services from bursting.
 */
const CONCURRENCY = 4;

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/** Status and promotion summary of every entity, for the grid. */
export function useEnvironmentGrid(entities: Entity[] | undefined) {
  const api = useApi(awsEnvironmentsApiRef);
  const key = (entities ?? []).map(e => stringifyEntityRef(e)).join(',');
  return useAsyncRetry(async (): Promise<{
    rows: GridRow[];
    promotions: PromotionSummaryResponse;
    promotionsError?: Error;
  }> => {
    if (!entities || entities.length === 0) {
      return { rows: [], promotions: {} };
    }
    // Health and images still show when promotions cannot be read.
    let promotionsError: Error | undefined;
    const [rows, promotions] = await Promise.all([
      mapLimited(entities, CONCURRENCY, async entity => {
        const entityRef = stringifyEntityRef(entity);
        try {
          const status = await api.getStatus({
            entity: getCompoundEntityRef(entity),
            range: '1h',
          });
          return {
            entity,
            entityRef,
            environments: Object.fromEntries(
              status.environments.map(e => [e.name, e]),
            ),
          };
        } catch (error) {
          return { entity, entityRef, environments: {}, error: error as Error };
        }
      }),
      api
        .getPromotionSummary(entities.map(e => stringifyEntityRef(e)))
        .catch((error: Error) => {
          promotionsError = error;
          return {} as PromotionSummaryResponse;
        }),
    ]);
    return { rows, promotions, promotionsError };
  }, [api, key]);
}
