import {
  EnvironmentDeliveryMetrics,
  ImageLeadTime,
} from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import { DbDate, PROMOTIONS, toIso } from './promotionTables';

const MINUTE_SECONDS = 60;

/**
 * Seconds since the epoch of a timestamp column or expression. PostgreSQL
 * stores `timestamptz`; better-sqlite3 stores what Knex hands it, a Date,
 * as epoch milliseconds.
 */
function epochSeconds(db: Knex, expression: string): string {
  const client = String(db.client.config.client ?? '');
  return /^(pg|postgres)/.test(client)
    ? `extract(epoch from ${expression})`
    : `(${expression}) / 1000.0`;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

const minutes = (seconds: number | string) =>
  Math.round((Number(seconds) / MINUTE_SECONDS) * 10) / 10;

/** A succeeded promotion that a later, succeeded rollback undid. */
const ROLLED_BACK = `exists (select 1 from ${PROMOTIONS} r where r.rollback_of = p.id and r.status = 'succeeded')`;

/**
 * Deployment frequency, change failure rate, time to restore and lead time
 * of one project, from its promotion history. The counting and the
 * durations are SQL (SQLite and PostgreSQL); only medians are taken here.
 * Read-only.
 */
export class DeliveryMetricsQuery {
  constructor(private readonly db: Knex) {}

  async environments(options: {
    project: string;
    environments: string[];
    since: Date;
    until: Date;
  }): Promise<EnvironmentDeliveryMetrics[]> {
    const { db } = this;
    const { project, since } = options;
    const counts: Array<{
      to_env: string;
      deployments: number | string;
      changes: number | string;
      failed: number | string;
      rolled_back: number | string;
    }> = await db(`${PROMOTIONS} as p`)
      .select(
        'p.to_env',
        db.raw(
          `sum(case when p.status = 'succeeded' then 1 else 0 end) as deployments`,
        ),
        db.raw(
          `sum(case when p.kind = 'promotion' then 1 else 0 end) as changes`,
        ),
        db.raw(
          `sum(case when p.kind = 'promotion' and p.status = 'failed' then 1 else 0 end) as failed`,
        ),
        db.raw(
          `sum(case when p.kind = 'promotion' and p.status = 'succeeded' and ${ROLLED_BACK} then 1 else 0 end) as rolled_back`,
        ),
      )
      .where('p.project', project)
      .whereIn('p.status', ['succeeded', 'failed'])
      .where('p.finished_at', '>=', since)
      .groupBy('p.to_env');

    // Each failure with the first successful deployment after it, if any.
    const failures: Array<{ to_env: string; seconds: number | string | null }> =
      await db(`${PROMOTIONS} as p`)
        .leftJoin(`${PROMOTIONS} as s`, join =>
          join
            .on('s.project', 'p.project')
            .andOn('s.to_env', 'p.to_env')
            .andOn('s.finished_at', '>', 'p.finished_at')
            .andOnVal('s.status', 'succeeded'),
        )
        .select(
          'p.to_env',
          db.raw(
            `${epochSeconds(db, 'min(s.finished_at)')} - ${epochSeconds(
              db,
              'p.finished_at',
            )} as seconds`,
          ),
        )
        .where('p.project', project)
        .where('p.kind', 'promotion')
        .where('p.finished_at', '>=', since)
        .where(q =>
          q
            .where('p.status', 'failed')
            .orWhere(r =>
              r.where('p.status', 'succeeded').whereRaw(ROLLED_BACK),
            ),
        )
        .groupBy('p.id', 'p.to_env', 'p.finished_at');

    const days = (options.until.getTime() - since.getTime()) / (24 * 3600_000);
    return options.environments.map(environment => {
      const row = counts.find(c => c.to_env === environment);
      const deployments = Number(row?.deployments ?? 0);
      const changes = Number(row?.changes ?? 0);
      const failed = Number(row?.failed ?? 0);
      const rolledBack = Number(row?.rolled_back ?? 0);
      const mine = failures.filter(f => f.to_env === environment);
      const restored = mine
        .filter(f => f.seconds !== null)
        .map(f => minutes(f.seconds!));
      return {
        environment,
        deployments,
        deploymentsPerWeek: Math.round((deployments / days) * 7 * 10) / 10,
        changes,
        failed,
        rolledBack,
        changeFailureRate:
          changes > 0 ? (failed + rolledBack) / changes : undefined,
        timeToRestore: {
          restored: restored.length,
          unrestored: mine.length - restored.length,
          medianMinutes: median(restored),
        },
      };
    });
  }

  /**
   * Images delivered into `last` in the window, each with the first request
   * that moved it on from `first`: we do not see deployments into the first
   * environment (CI does them), so that request is the earliest time the
   * history knows the image ran there.
   */
  async leadTimes(options: {
    project: string;
    first: string;
    last: string;
    since: Date;
  }): Promise<{ medianMinutes?: number; images: ImageLeadTime[] }> {
    const { db } = this;
    const rows: Array<{
      image: string;
      started_at: DbDate;
      delivered_at: DbDate;
      seconds: number | string;
    }> = await db(`${PROMOTIONS} as p`)
      .join(`${PROMOTIONS} as t`, join =>
        join
          .on('t.project', 'p.project')
          .andOn('t.image', 'p.image')
          .andOnVal('t.from_env', options.first)
          .andOnVal('t.kind', 'promotion'),
      )
      .select(
        'p.image',
        db.raw('min(t.created_at) as started_at'),
        db.raw('p.finished_at as delivered_at'),
        db.raw(
          `${epochSeconds(db, 'p.finished_at')} - ${epochSeconds(
            db,
            'min(t.created_at)',
          )} as seconds`,
        ),
      )
      .where('p.project', options.project)
      .where('p.to_env', options.last)
      .where('p.kind', 'promotion')
      .where('p.status', 'succeeded')
      .where('p.finished_at', '>=', options.since)
      .groupBy('p.id', 'p.image', 'p.finished_at')
      .orderBy('p.finished_at', 'desc');
    const images = rows.map(row => ({
      image: row.image,
      startedAt: toIso(row.started_at),
      deliveredAt: toIso(row.delivered_at),
      minutes: minutes(row.seconds),
    }));
    return { medianMinutes: median(images.map(i => i.minutes)), images };
  }
}
