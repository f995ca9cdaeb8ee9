import { DriftedResource } from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import { DbDate, toDate } from '../promotions/promotionTables';
import { DriftReading } from './readDrift';

const TABLE = 'environment_drift';

/** One environment of one project. */
export interface DriftKey {
  project: string;
  environment: string;
}

/** A stored row: the last finished check, and the one running if any. */
export interface StoredDrift extends DriftKey {
  /** Absent until a check has finished. */
  status?: DriftReading['status'];
  driftedResourceCount: number;
  resources: DriftedResource[];
  error?: string;
  checkedAt?: Date;
  startedAt?: Date;
  checkingSince?: Date;
}

interface DriftRow {
  project: string;
  environment: string;
  status: DriftReading['status'] | null;
  drifted_count: number | string;
  resources: string | null;
  error: string | null;
  checked_at: DbDate | null;
  started_at: DbDate | null;
  checking_since: DbDate | null;
}

/** The limits a claim enforces. */
export interface ClaimLimits {
  /** A check may start at most once per this, per environment. */
  minIntervalMs: number;
  /** A check running longer than this died with its replica. */
  staleAfterMs: number;
}

export type ClaimResult =
  | { claimed: true; startedAt: Date }
  | { claimed: false; current: StoredDrift };

export function driftId(key: DriftKey): string {
  return `${key.project}|${key.environment}`;
}

function toDrift(row: DriftRow): StoredDrift {
  const date = (value: DbDate | null) =>
    value === null ? undefined : toDate(value);
  return {
    project: row.project,
    environment: row.environment,
    status: row.status ?? undefined,
    driftedResourceCount: Number(row.drifted_count),
    resources: row.resources ? JSON.parse(row.resources) : [],
    error: row.error ?? undefined,
    checkedAt: date(row.checked_at),
    startedAt: date(row.started_at),
    checkingSince: date(row.checking_since),
  };
}

/**
 * The drift results in the plugin's database. Starting a check is a
 * conditional UPDATE on the environment's row, so of two replicas (or a
 * button and the schedule) asking at once exactly one runs it.
 */
export class DriftStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Starts a check of `key` unless one started less than
   * `minIntervalMs` ago or one is still running; otherwise answers with
   * the row that stopped it.
   */
  async claim(key: DriftKey, limits: ClaimLimits): Promise<ClaimResult> {
    const now = this.now();
    await this.db(TABLE)
      .insert({ ...key, drifted_count: 0 })
      .onConflict(['project', 'environment'])
      .ignore();
    const updated = await this.db(TABLE)
      .where(key)
      .where(q =>
        q
          .whereNull('started_at')
          .orWhere(
            'started_at',
            '<=',
            new Date(now.getTime() - limits.minIntervalMs),
          ),
      )
      .where(q =>
        q
          .whereNull('checking_since')
          .orWhere(
            'checking_since',
            '<=',
            new Date(now.getTime() - limits.staleAfterMs),
          ),
      )
      .update({ started_at: now, checking_since: now });
    if (updated === 1) {
      return { claimed: true, startedAt: now };
    }
    const row: DriftRow = await this.db(TABLE).where(key).first();
    return { claimed: false, current: toDrift(row) };
  }

  /**
   * Stores what the check claimed at `startedAt` found. A check that
   * outlived its claim (a newer one started since) stores nothing.
   */
  async finish(
    key: DriftKey,
    startedAt: Date,
    reading: DriftReading,
  ): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ ...key, started_at: startedAt })
      .update({
        status: reading.status,
        drifted_count: reading.driftedResourceCount,
        resources: JSON.stringify(reading.resources),
        error: reading.error ?? null,
        checked_at: this.now(),
        checking_since: null,
      });
    return updated === 1;
  }

  /** The stored rows of `keys`, by {@link driftId}. */
  async read(keys: DriftKey[]): Promise<Map<string, StoredDrift>> {
    const result = new Map<string, StoredDrift>();
    if (keys.length === 0) return result;
    const wanted = new Set(keys.map(driftId));
    const projects = [...new Set(keys.map(k => k.project))];
    const rows: DriftRow[] = await this.db(TABLE).whereIn('project', projects);
    for (const row of rows) {
      if (wanted.has(driftId(row))) {
        result.set(driftId(row), toDrift(row));
      }
    }
    return result;
  }
}
