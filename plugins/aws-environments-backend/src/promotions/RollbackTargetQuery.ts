import { RollbackTarget } from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import { PROMOTIONS, Row } from './promotionTables';

type Ranked = Pick<
  Row,
  'id' | 'project' | 'to_env' | 'image' | 'replaced_image'
> & { rank: number | string };

/** `${project}|${environment}`, the key of {@link RollbackTargetQuery.targets}. */
export function rollbackKey(project: string, environment: string): string {
  return `${project}|${environment}`;
}

/**
 * What a rollback of an environment deploys: the image that ran there
 * before the last successful deployment. The deployment recorded the image
 * it replaced when it started; for deployments recorded before that, the
 * image of the success before it stands in. Both come from our own history,
 * never from a request. Read-only.
 */
export class RollbackTargetQuery {
  constructor(private readonly db: Knex) {}

  async target(
    project: string,
    environment: string,
  ): Promise<RollbackTarget | undefined> {
    const targets = await this.targets([project]);
    return targets.get(rollbackKey(project, environment));
  }

  /** Per {@link rollbackKey}, for every environment of `projects`. */
  async targets(projects: string[]): Promise<Map<string, RollbackTarget>> {
    const result = new Map<string, RollbackTarget>();
    if (projects.length === 0) {
      return result;
    }
    // The two newest successes per (project, environment); window functions
    // exist on SQLite and PostgreSQL.
    const ranked = this.db<Row>(PROMOTIONS)
      .select(
        'id',
        'project',
        'to_env',
        'image',
        'replaced_image',
        this.db.raw(
          'row_number() over (partition by project, to_env order by finished_at desc, id) as rank',
        ),
      )
      .where('status', 'succeeded')
      .whereIn('project', [...new Set(projects)])
      .as('ranked');
    const rows: Ranked[] = await this.db
      .from(ranked)
      .where('rank', '<=', 2)
      .orderBy('rank');
    const newest = new Map<string, Ranked>();
    const before = new Map<string, Ranked>();
    for (const row of rows) {
      const key = rollbackKey(row.project, row.to_env);
      (Number(row.rank) === 1 ? newest : before).set(key, row);
    }
    for (const [key, last] of newest) {
      const image = last.replaced_image ?? before.get(key)?.image;
      if (image && image !== last.image) {
        result.set(key, { image, undoes: last.id, replaces: last.image });
      }
    }
    return result;
  }
}
