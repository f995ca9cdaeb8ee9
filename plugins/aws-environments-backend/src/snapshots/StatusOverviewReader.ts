import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_PROJECT,
  EnvironmentDriftSummary,
  EnvironmentSummary,
  StatusOverviewResponse,
  StatusOverviewRow,
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsStatusReadPermission,
  healthFromFindings,
  projectOf,
  summarizeStatus,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsService } from '../service/AwsEnvironmentsService';
import { CallBudget } from './CallBudget';
import { needsViewRecord } from './needsViewRecord';
import { recordStatuses } from './recordStatuses';
import {
  COLD_SUMMARY_CALLS,
  METRICS_BATCH_CALLS,
  SUMMARY_RANGE,
} from './SnapshotRefresher';
import { SnapshotOptions } from './snapshotOptions';
import {
  SnapshotKey,
  StatusSnapshotStore,
  snapshotId,
} from './StatusSnapshotStore';

/** What the status page may filter on; the catalog applies the filters. */
export interface OverviewQuery {
  owner?: string;
  system?: string;
  /** Part of an entity's name or title. */
  text?: string;
  cursor?: string;
  limit: number;
}

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
];

interface Access {
  status: boolean;
  parameters: boolean;
}

/**
 * The overview side of the status API: rows of entities with their
 * environments' summaries, answered from the snapshots rather than AWS.
 * Entities come from the catalog with the CALLER's credentials, so
 * catalog visibility applies, and each is checked against the status read
 * permission as the full status is.
 */
export class StatusOverviewReader {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      service: AwsEnvironmentsService;
      store: StatusSnapshotStore;
      options: SnapshotOptions;
      /**
       * Bounds the reads of environments never read, like the refresher's;
       * absent, they are read at once.
       */
      budget?: CallBudget;
      /** The last drift check of each environment, by `snapshotId`. */
      driftOf?: (
        keys: SnapshotKey[],
      ) => Promise<Map<string, EnvironmentDriftSummary>>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** One page of the components with AWS environments. */
  async page(
    query: OverviewQuery,
    credentials: BackstageCredentials,
  ): Promise<StatusOverviewResponse> {
    const response = await this.deps.catalog.queryEntities(
      query.cursor
        ? { cursor: query.cursor, limit: query.limit, fields: FIELDS }
        : {
            filter: {
              kind: 'component',
              [`metadata.annotations.${ANNOTATION_PROJECT}`]:
                CATALOG_FILTER_EXISTS,
              ...(query.owner ? { 'spec.owner': query.owner } : {}),
              ...(query.system ? { 'spec.system': query.system } : {}),
            },
            fullTextFilter: query.text
              ? {
                  term: query.text,
                  fields: ['metadata.name', 'metadata.title'],
                }
              : undefined,
            orderFields: [{ field: 'metadata.name', order: 'asc' }],
            fields: FIELDS,
            limit: query.limit,
          },
      { credentials },
    );
    return {
      rows: await this.rows(response.items, credentials, false),
      totalItems: response.totalItems,
      nextCursor: response.pageInfo.nextCursor,
      prevCursor: response.pageInfo.prevCursor,
    };
  }

  /**
   * One entity's row. Environments never read are read now (a summary, a
   * few AWS calls each), so the tab's overview never waits on the queue.
   */
  async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<StatusOverviewRow> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (error) {
      throw new InputError(`entityRef is invalid: ${(error as Error).message}`);
    }
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity ${ref} not found`);
    }
    const [row] = await this.rows([entity], credentials, true);
    return row;
  }

  private async rows(
    entities: Entity[],
    credentials: BackstageCredentials,
    readMissing: boolean,
  ): Promise<StatusOverviewRow[]> {
    const refs = entities.map(e => stringifyEntityRef(e));
    const access = await this.access(refs, credentials);
    const configured = this.deps.service.listEnvironments().map(e => e.name);

    const rows = entities.map((entity, i) => {
      const base = {
        entityRef: refs[i],
        title: entity.metadata.title,
        owner: stringOrUndefined(entity.spec?.owner),
        system: stringOrUndefined(entity.spec?.system),
      };
      if (!access[i].status) {
        return {
          ...base,
          project: '',
          environments: [],
          error: `You may not read the AWS environments of ${refs[i]} (permission ${awsEnvironmentsStatusReadPermission.name}).`,
        };
      }
      try {
        const { project, environments } = projectOf(entity, configured);
        return {
          ...base,
          project,
          environments: environments.map(name => ({ name })),
        };
      } catch (error) {
        return {
          ...base,
          project: '',
          environments: [],
          error: (error as Error).message,
        };
      }
    });

    const keys: SnapshotKey[] = rows.flatMap(row =>
      row.environments.map(e => ({
        project: row.project,
        environment: e.name,
      })),
    );
    const { store, options } = this.deps;
    const now = this.now();
    const when = {
      staleBefore: new Date(now.getTime() - 2 * options.hotIntervalMs),
      dueBy: new Date(now.getTime() + options.hotIntervalMs),
    };
    const stored = await store.read(keys);
    // Only what a view changes: every request writing the same rows made
    // concurrent views of one entity queue on row locks (200 clients: p99
    // past a minute, pool timeouts). A view repeated within
    // VIEW_RECORD_INTERVAL_MS of the last one changes nothing the
    // refresher acts on.
    const toMark = keys.filter(key =>
      needsViewRecord(stored.get(snapshotId(key)), now, when),
    );
    await store.markViewed(toMark, when);
    const summaries = new Map<string, EnvironmentSummary>();
    for (const [id, snapshot] of stored) {
      if (snapshot.summary) summaries.set(id, snapshot.summary);
    }
    if (readMissing) {
      await this.readMissing(keys, summaries);
    }
    const drifts =
      (await this.deps.driftOf?.(keys)) ??
      new Map<string, EnvironmentDriftSummary>();

    return rows.map((row, i) => ({
      ...row,
      environments: row.environments.map(({ name }) => {
        const id = snapshotId({ project: row.project, environment: name });
        const summary = summaries.get(id);
        return {
          name,
          drift: drifts.get(id),
          summary:
            summary && !access[i].parameters
              ? withoutParameterFindings(summary)
              : summary,
        };
      }),
    }));
  }

  private async readMissing(
    keys: SnapshotKey[],
    summaries: Map<string, EnvironmentSummary>,
  ): Promise<void> {
    const missing = keys.filter(k => !summaries.has(snapshotId(k)));
    const byProject = new Map<string, string[]>();
    for (const k of missing) {
      byProject.set(k.project, [
        ...(byProject.get(k.project) ?? []),
        k.environment,
      ]);
    }
    const budgetKeyOf = (name: string) => {
      const env = this.deps.service
        .listEnvironments()
        .find(e => e.name === name);
      return env ? `${env.accountId}:${env.region}` : undefined;
    };
    // One metrics call per account and region for all of them.
    const budgetKeys = new Set(missing.map(k => budgetKeyOf(k.environment)));
    for (const key of budgetKeys) {
      if (key) await this.deps.budget?.take(key, METRICS_BATCH_CALLS);
    }
    await this.deps.service.prefetchSummaryMetrics({
      environments: missing,
      range: SUMMARY_RANGE,
    });
    for (const [project, environments] of byProject) {
      for (const name of environments) {
        const key = budgetKeyOf(name);
        if (key) await this.deps.budget?.take(key, COLD_SUMMARY_CALLS);
      }
      const statuses = await this.deps.service.getProjectStatus({
        project,
        environments,
        range: SUMMARY_RANGE,
        detail: 'summary',
      });
      await recordStatuses(
        this.deps.store,
        this.deps.options,
        project,
        statuses,
      );
      for (const status of statuses) {
        summaries.set(
          snapshotId({ project, environment: status.name }),
          summarizeStatus(status),
        );
      }
    }
  }

  private async access(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Access[]> {
    if (refs.length === 0) return [];
    const decisions = await this.deps.permissions.authorize(
      refs.flatMap(resourceRef => [
        { permission: awsEnvironmentsStatusReadPermission, resourceRef },
        { permission: awsEnvironmentsParametersReadPermission, resourceRef },
      ]),
      { credentials },
    );
    return refs.map((_, i) => ({
      status: decisions[2 * i].result === AuthorizeResult.ALLOW,
      parameters: decisions[2 * i + 1].result === AuthorizeResult.ALLOW,
    }));
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * For callers who may not read parameter metadata: the findings derived
 * from it go, and health is recomputed from what they may see.
 */
function withoutParameterFindings(
  summary: EnvironmentSummary,
): EnvironmentSummary {
  const findings = summary.findings.filter(f => f.source !== 'ssm');
  return {
    ...summary,
    findings,
    health: healthFromFindings(findings, summary.error),
    errors: summary.errors.filter(e => e.source !== 'ssm'),
  };
}
