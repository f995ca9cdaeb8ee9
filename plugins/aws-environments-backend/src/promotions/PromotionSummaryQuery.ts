import {
  EnvironmentPromotionSummary,
  OPEN_PROMOTION_STATUSES,
} from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import { RollbackTargetQuery } from './RollbackTargetQuery';
import { DbDate, PROMOTIONS, Row, toIso, toRequest } from './promotionTables';

/**
 * The promotion summary the Environments tab shows: per entity and target
 * environment, the last succeeded promotion, the last failed one, the open
 * request and what a rollback would deploy. Read-only.
 */
export class PromotionSummaryQuery {
  private readonly rollbacks: RollbackTargetQuery;

  constructor(private readonly db: Knex) {
    this.rollbacks = new RollbackTargetQuery(db);
  }

  async summary(
    entityRefs: string[],
  ): Promise<Record<string, Record<string, EnvironmentPromotionSummary>>> {
    const result: Record<
      string,
      Record<string, EnvironmentPromotionSummary>
    > = {};
    const at = (entityRef: string, env: string) => {
      result[entityRef] ??= {};
      result[entityRef][env] ??= {};
      return result[entityRef][env];
    };
    if (entityRefs.length === 0) {
      return result;
    }
    // Only the newest success per (entity, environment), without reading
    // the whole history; window functions exist on SQLite and PostgreSQL.
    const ranked = this.db<Row>(PROMOTIONS)
      .select(
        'id',
        'entity_ref',
        'to_env',
        'image',
        'finished_at',
        'requested_by',
        this.db.raw(
          'row_number() over (partition by entity_ref, to_env order by finished_at desc, id) as rank',
        ),
      )
      .where('status', 'succeeded')
      .whereIn('entity_ref', entityRefs)
      .as('ranked');
    // Succeeded requests always have finished_at.
    const latest: Array<
      Pick<Row, 'id' | 'entity_ref' | 'to_env' | 'image' | 'requested_by'> & {
        finished_at: DbDate;
      }
    > = await this.db.from(ranked).where('rank', 1);
    for (const row of latest) {
      at(row.entity_ref, row.to_env).lastSucceeded = {
        promotionId: row.id,
        image: row.image,
        at: toIso(row.finished_at),
        requestedBy: row.requested_by,
      };
    }
    const failedRanked = this.db<Row>(PROMOTIONS)
      .select(
        '*',
        this.db.raw(
          'row_number() over (partition by entity_ref, to_env order by finished_at desc, id) as rank',
        ),
      )
      .where('status', 'failed')
      .whereIn('entity_ref', entityRefs)
      .as('ranked_failed');
    const failed: Row[] = await this.db.from(failedRanked).where('rank', 1);
    for (const row of failed) {
      at(row.entity_ref, row.to_env).lastFailed = toRequest(row);
    }
    const open = await this.db<Row>(PROMOTIONS)
      .whereIn('status', OPEN_PROMOTION_STATUSES)
      .whereIn('entity_ref', entityRefs);
    for (const row of open) {
      at(row.entity_ref, row.to_env).pending = toRequest(row);
    }
    // A rollback undoes the project's last deployment, whichever of its
    // components asked for it.
    const projects: Array<Pick<Row, 'entity_ref' | 'project'>> =
      await this.db<Row>(PROMOTIONS)
        .distinct('entity_ref', 'project')
        .whereIn('entity_ref', entityRefs);
    const targets = await this.rollbacks.targets(projects.map(p => p.project));
    for (const { entity_ref: entityRef, project } of projects) {
      for (const [key, target] of targets) {
        const [targetProject, env] = key.split('|');
        if (targetProject === project) {
          at(entityRef, env).rollbackTo = target;
        }
      }
    }
    return result;
  }
}
