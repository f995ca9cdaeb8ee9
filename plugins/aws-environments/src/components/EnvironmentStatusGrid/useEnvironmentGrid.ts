import pLimit from 'p-limit';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EnvironmentDriftSummary,
  EnvironmentSummary,
  PromotionStatus,
  PromotionSummaryResponse,
  StatusOverviewRow,
} from '@envplane/plugin-aws-environments-common';
import {
  AwsEnvironmentsApi,
  OverviewPageQuery,
  awsEnvironmentsApiRef,
} from '../../api';

export interface GridRow {
  entity: Entity;
  entityRef: string;
  /** Per environment name; absent when the entity has no such environment. */
  environments: Record<string, EnvironmentSummary>;
  /** The last drift check per environment name, when there was one. */
  drift?: Record<string, EnvironmentDriftSummary>;
  /** Set when the entity's status could not be read at all. */
  error?: Error;
}

/** Where the page of rows sits among all, when the rows come in pages. */
export interface GridPage {
  totalItems: number;
  nextCursor?: string;
  prevCursor?: string;
}

export interface GridData {
  rows: GridRow[];
  /** Set when the source is paged on the server. */
  page?: GridPage;
  promotions: PromotionSummaryResponse;
  promotionsError?: Error;
  /**
   * Entities a promotion just succeeded into: per entity, the images
   * expected per environment and the polls left to see them. The backend
   * serves status from a short cache, so the first reads after a deployment
   * may still show the old image.
   */
  settling: Record<string, { images: Record<string, string>; polls: number }>;
}

/** While a request is approved or deploying, progress shows within seconds. */
export const PROMOTION_POLL_MS = 5_000;
/**
 * A request waiting for review can sit for days; checking for a decision
 * less often keeps open pages from loading the backend for nothing.
 */
export const REVIEW_POLL_MS = 15_000;
/** The longest wait between polls while they keep failing. */
export const MAX_POLL_MS = 60_000;
/** Covers the backend's default 30 s status cache at PROMOTION_POLL_MS. */
const SETTLE_POLLS = 8;

/**
 * Each entity's overview is one request, answered from the backend's
 * status snapshots; a few at a time keeps a page of many services from
 * bursting.
 */
const CONCURRENCY = 4;

/** Maps `items` with at most {@link CONCURRENCY} calls of `fn` in flight. */
function mapLimited<T, R>(
  items: T[],
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(CONCURRENCY);
  return Promise.all(items.map(item => limit(() => fn(item))));
}

/** A grid row from an overview row, whichever request brought it. */
function toGridRow(entity: Entity, overview: StatusOverviewRow): GridRow {
  const entityRef = stringifyEntityRef(entity);
  if (overview.error) {
    return {
      entity,
      entityRef,
      environments: {},
      error: new Error(overview.error),
    };
  }
  return {
    entity,
    entityRef,
    environments: Object.fromEntries(
      overview.environments.flatMap(e =>
        e.summary ? [[e.name, e.summary]] : [],
      ),
    ),
    drift: Object.fromEntries(
      overview.environments.flatMap(e => (e.drift ? [[e.name, e.drift]] : [])),
    ),
  };
}

/**
 * The entity an overview row describes, with what the grid shows of it
 * (name, title, owner), so a page of rows needs no catalog request.
 */
function entityOf(row: StatusOverviewRow): Entity {
  const ref = parseEntityRef(row.entityRef);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace, title: row.title },
    spec: { owner: row.owner, system: row.system },
  };
}

async function readRow(
  api: AwsEnvironmentsApi,
  entity: Entity,
): Promise<GridRow> {
  try {
    return toGridRow(
      entity,
      await api.getEntityOverview(getCompoundEntityRef(entity)),
    );
  } catch (error) {
    return {
      entity,
      entityRef: stringifyEntityRef(entity),
      environments: {},
      error: error as Error,
    };
  }
}

/**
 * Where the grid's rows come from: given entities (one overview request
 * each, a few at a time), or a page the backend filters and pages (one
 * request for all its rows).
 */
export interface GridSource {
  /** Changes when other rows are asked for. */
  key: string;
  readAll(
    api: AwsEnvironmentsApi,
  ): Promise<{ rows: GridRow[]; page?: GridPage }>;
  /** The given rows read again, in any order. */
  readAgain(api: AwsEnvironmentsApi, rows: GridRow[]): Promise<GridRow[]>;
}

/** Rows of the given entities. */
export function entitiesSource(entities: Entity[]): GridSource {
  return {
    key: entities.map(e => stringifyEntityRef(e)).join(','),
    readAll: async api => ({
      rows: await mapLimited(entities, entity => readRow(api, entity)),
    }),
    readAgain: (api, rows) => mapLimited(rows, row => readRow(api, row.entity)),
  };
}

/** One page of the backend's overview, filtered on the server. */
export function pageSource(query: OverviewPageQuery): GridSource {
  const readPage = async (api: AwsEnvironmentsApi) => {
    const page = await api.getOverviewPage(query);
    return {
      rows: page.rows.map(row => toGridRow(entityOf(row), row)),
      page: {
        totalItems: page.totalItems,
        nextCursor: page.nextCursor,
        prevCursor: page.prevCursor,
      },
    };
  };
  return {
    key: JSON.stringify(query),
    readAll: readPage,
    // The page is one request whichever of its rows moved.
    readAgain: async (api, rows) => {
      const wanted = new Set(rows.map(r => r.entityRef));
      return (await readPage(api)).rows.filter(r => wanted.has(r.entityRef));
    },
  };
}

/**
 * How soon to look again at a request in this status, or undefined for
 * never: soon while it is approved or deploying, less often while it waits
 * for review, never once it is decided and done. The grid and a request's
 * history dialog share it.
 */
export function promotionPollDelay(
  status: PromotionStatus,
): number | undefined {
  switch (status) {
    case 'approved':
    case 'deploying':
      return PROMOTION_POLL_MS;
    case 'pending_review':
      return REVIEW_POLL_MS;
    default:
      return undefined;
  }
}

/** How soon to look again at the promotions shown, or undefined for never. */
export function pollDelay(data: GridData): number | undefined {
  const delays = Object.values(data.promotions).flatMap(byEnv =>
    Object.values(byEnv).flatMap(s => {
      const delay = s.pending
        ? promotionPollDelay(s.pending.status)
        : undefined;
      return delay === undefined ? [] : [delay];
    }),
  );
  if (Object.keys(data.settling).length > 0) {
    delays.push(PROMOTION_POLL_MS);
  }
  return delays.length > 0 ? Math.min(...delays) : undefined;
}

/**
 * The delay after `failures` polls in a row failed: doubled per failure,
 * up to {@link MAX_POLL_MS}, so a backend in trouble is not hammered.
 */
function backoff(delay: number, failures: number): number {
  return Math.min(delay * 2 ** Math.min(failures, 16), MAX_POLL_MS);
}

/**
 * One poll: the promotion summary of every row (one request), and the
 * status only of the entities whose promotions moved, since a deployment
 * changes health and the running image. When the summary cannot be read,
 * the promotions shown stay as they were, with `promotionsError` set, and
 * the entities settling after a success are still read.
 */
async function poll(
  api: AwsEnvironmentsApi,
  source: GridSource,
  current: GridData,
): Promise<GridData> {
  let promotions: PromotionSummaryResponse;
  let promotionsError: Error | undefined;
  try {
    promotions = await api.getPromotionSummary(
      current.rows.map(r => r.entityRef),
    );
  } catch (error) {
    promotions = current.promotions;
    promotionsError = error as Error;
  }
  const settling = { ...current.settling };
  const stale = current.rows.filter(row => {
    const ref = row.entityRef;
    const before = current.promotions[ref] ?? {};
    const after = promotions[ref] ?? {};
    for (const [env, summary] of Object.entries(after)) {
      const landed = summary.lastSucceeded;
      if (
        landed &&
        landed.promotionId !== before[env]?.lastSucceeded?.promotionId
      ) {
        settling[ref] = {
          images: { ...settling[ref]?.images, [env]: landed.image },
          polls: SETTLE_POLLS,
        };
      }
    }
    return JSON.stringify(before) !== JSON.stringify(after) || !!settling[ref];
  });
  const fresh = new Map(
    (stale.length > 0 ? await source.readAgain(api, stale) : []).map(r => [
      r.entityRef,
      r,
    ]),
  );
  const rows = current.rows.map(row => {
    const ref = row.entityRef;
    const next = fresh.get(ref);
    if (!next) {
      return row;
    }
    if (settling[ref]) {
      const { images, polls } = settling[ref];
      const arrived = Object.entries(images).every(
        ([env, image]) => next.environments[env]?.service?.image === image,
      );
      if (arrived || polls <= 1) {
        delete settling[ref];
      } else {
        settling[ref] = { images, polls: polls - 1 };
      }
    }
    return next;
  });
  return { rows, page: current.page, promotions, promotionsError, settling };
}

/**
 * Status and promotion summary of every entity, for the grid. While a
 * promotion shown is open, or has just landed, it is polled (see
 * {@link pollDelay}); polling stops when none is and on unmount.
 */
export function useEnvironmentGrid(source: GridSource | undefined) {
  const api = useApi(awsEnvironmentsApiRef);
  const full = useAsyncRetry(async (): Promise<GridData> => {
    if (!source) {
      return { rows: [], promotions: {}, settling: {} };
    }
    // Health and images still show when promotions cannot be read.
    const { rows, page } = await source.readAll(api);
    let promotionsError: Error | undefined;
    const promotions =
      rows.length === 0
        ? {}
        : await api
            .getPromotionSummary(rows.map(r => r.entityRef))
            .catch((error: Error) => {
              promotionsError = error;
              return {} as PromotionSummaryResponse;
            });
    return { rows, page, promotions, promotionsError, settling: {} };
  }, [api, source?.key]);

  // Polled data, valid only on top of the full load it started from; a new
  // full load (other entities, or after an action) replaces it. `failures`
  // counts the polls in a row that could not read the summary.
  const [polled, setPolled] = useState<{
    base: GridData;
    data: GridData;
    failures: number;
  }>();
  const current =
    full.value && polled?.base === full.value ? polled : undefined;
  const value = current ? current.data : full.value;
  const failures = current?.failures ?? 0;
  const pace = value && !full.loading ? pollDelay(value) : undefined;
  const delay = pace === undefined ? undefined : backoff(pace, failures);

  useEffect(() => {
    if (!value || !full.value || delay === undefined) {
      return undefined;
    }
    const base = full.value;
    let cancelled = false;
    // A timeout per poll, armed again when its result lands, so a slow
    // backend never has polls pile up. A poll that fails, even by
    // throwing, keeps what is shown, sets the error, and is tried again
    // later.
    const timer = setTimeout(async () => {
      let data: GridData;
      try {
        data = await poll(api, source!, value);
      } catch (error) {
        data = { ...value, promotionsError: error as Error };
      }
      if (!cancelled) {
        setPolled({
          base,
          data,
          failures: data.promotionsError ? failures + 1 : 0,
        });
      }
    }, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, source, value, full.value, delay, failures]);

  return { ...full, value };
}
