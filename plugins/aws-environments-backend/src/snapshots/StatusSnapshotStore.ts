import { EnvironmentSummary } from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import { DbDate, toDate } from '../promotions/promotionTables';

const TABLE = 'status_snapshots';

/** SQLite caps bound variables per statement; keep batches well under it. */
const CHUNK = 200;

/** One environment of one project. */
export interface SnapshotKey {
  project: string;
  environment: string;
}

/** A stored snapshot; `summary` is absent until the first read. */
export interface StoredSnapshot extends SnapshotKey {
  summary?: EnvironmentSummary;
  fetchedAt?: Date;
  viewedAt?: Date;
  requestedAt?: Date;
  dueAt: Date;
}

interface SnapshotRow {
  project: string;
  environment: string;
  summary: string | null;
  fetched_at: DbDate | null;
  viewed_at: DbDate | null;
  requested_at: DbDate | null;
  due_at: DbDate;
}

function toSnapshot(row: SnapshotRow): StoredSnapshot {
  const date = (value: DbDate | null) =>
    value === null ? undefined : toDate(value);
  return {
    project: row.project,
    environment: row.environment,
    summary: row.summary ? JSON.parse(row.summary) : undefined,
    fetchedAt: date(row.fetched_at),
    viewedAt: date(row.viewed_at),
    requestedAt: date(row.requested_at),
    dueAt: toDate(row.due_at),
  };
}

export function snapshotId(key: SnapshotKey): string {
  return `${key.project}|${key.environment}`;
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/**
 * The snapshots in the plugin's database, where every replica reads them.
 * Writes are single statements, so two replicas saving the same snapshot
 * leave one of the two complete summaries, never a mix.
 */
export class StatusSnapshotStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds the keys that have no row yet, due at once; others are kept. */
  async ensure(keys: SnapshotKey[]): Promise<void> {
    const now = this.now();
    for (const chunk of chunks(keys)) {
      await this.db(TABLE)
        .insert(
          chunk.map(k => ({
            project: k.project,
            environment: k.environment,
            due_at: now,
          })),
        )
        .onConflict(['project', 'environment'])
        .ignore();
    }
  }

  /** Removes the rows of environments no entity names any more. */
  async retainOnly(keys: SnapshotKey[]): Promise<number> {
    const wanted = new Set(keys.map(snapshotId));
    const rows: SnapshotKey[] = await this.db(TABLE).select(
      'project',
      'environment',
    );
    const gone = rows.filter(r => !wanted.has(snapshotId(r)));
    for (const row of gone) {
      await this.db(TABLE)
        .where({ project: row.project, environment: row.environment })
        .delete();
    }
    return gone.length;
  }

  /** The stored snapshots of `keys`, by {@link snapshotId}. */
  async read(keys: SnapshotKey[]): Promise<Map<string, StoredSnapshot>> {
    const projects = [...new Set(keys.map(k => k.project))];
    const wanted = new Set(keys.map(snapshotId));
    const result = new Map<string, StoredSnapshot>();
    for (const chunk of chunks(projects)) {
      const rows: SnapshotRow[] = await this.db(TABLE).whereIn(
        'project',
        chunk,
      );
      for (const row of rows) {
        const id = snapshotId(row);
        if (wanted.has(id)) {
          result.set(id, toSnapshot(row));
        }
      }
    }
    return result;
  }

  /**
   * Stores a summary just read and when to read it again; a request for
   * it is answered.
   */
  async save(
    key: SnapshotKey,
    summary: EnvironmentSummary,
    dueAt: Date,
  ): Promise<void> {
    await this.db(TABLE)
      .insert({
        project: key.project,
        environment: key.environment,
        summary: JSON.stringify(summary),
        fetched_at: new Date(summary.fetchedAt),
        due_at: dueAt,
        requested_at: null,
      })
      .onConflict(['project', 'environment'])
      .merge(['summary', 'fetched_at', 'due_at', 'requested_at']);
  }

  /** Leaves the summary as it is and reads it again at `dueAt`. */
  async postpone(key: SnapshotKey, dueAt: Date): Promise<void> {
    await this.db(TABLE)
      .where({ project: key.project, environment: key.environment })
      .update({ due_at: dueAt, requested_at: null });
  }

  /**
   * Records that a page showed `keys` now, which keeps them hot: each is
   * due by `when.dueBy` at the latest, and the ones never read or read
   * before `when.staleBefore` are asked to be read ahead of the queue.
   * Keys without a row get one.
   */
  async markViewed(
    keys: SnapshotKey[],
    when: { staleBefore: Date; dueBy: Date },
  ): Promise<void> {
    if (keys.length === 0) return;
    await this.ensure(keys);
    const now = this.now();
    for (const chunk of chunks(keys)) {
      const match = () =>
        this.db(TABLE).where(inner => {
          for (const k of chunk) {
            inner.orWhere({ project: k.project, environment: k.environment });
          }
        });
      await match().update({ viewed_at: now });
      await match()
        .where('due_at', '>', when.dueBy)
        .update({ due_at: when.dueBy });
      await match()
        .whereNull('requested_at')
        .where(q =>
          q
            .whereNull('fetched_at')
            .orWhere('fetched_at', '<', when.staleBefore),
        )
        .update({ requested_at: now });
    }
  }

  /**
   * Up to `limit` snapshots to read now: requested ones first (oldest
   * request first), then those past their due time, most overdue first.
   */
  async due(limit: number): Promise<StoredSnapshot[]> {
    const rows: SnapshotRow[] = await this.db(TABLE)
      .whereNotNull('requested_at')
      .orWhere('due_at', '<=', this.now())
      .orderByRaw('CASE WHEN requested_at IS NULL THEN 1 ELSE 0 END')
      .orderBy('requested_at')
      .orderBy('due_at')
      .limit(limit);
    return rows.map(toSnapshot);
  }
}
