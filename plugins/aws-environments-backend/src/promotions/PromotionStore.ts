import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  EnvironmentPromotionSummary,
  OPEN_PROMOTION_STATUSES,
  PromotionEvent,
  PromotionEventAction,
  PromotionRequest,
  PromotionStatus,
  PromotionTrigger,
} from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';

const PROMOTIONS = 'promotions';
const EVENTS = 'promotion_events';

/** Progress lines come from CloudFormation; one huge line must not bloat the history. */
const MAX_MESSAGE_LENGTH = 4000;

/** A request as the service hands it to the store. */
export interface NewPromotion {
  entityRef: string;
  project: string;
  from: string;
  to: string;
  image: string;
  trigger: PromotionTrigger;
  requestedBy: string;
  onBehalfOf?: string;
  triggeredBy?: string;
  reviewRequired: boolean;
}

export interface PromotionListFilter {
  entityRefs?: string[];
  statuses?: PromotionStatus[];
  limit: number;
}

/** A succeeded promotion whose target is followed by an `auto` environment. */
export interface PendingAutoPromotion {
  promotion: PromotionRequest;
  /** After this, the backend gives up waiting for the environment to be healthy. */
  until: Date;
}

type Row = {
  id: string;
  entity_ref: string;
  project: string;
  from_env: string;
  to_env: string;
  image: string;
  status: PromotionStatus;
  trigger: PromotionTrigger;
  requested_by: string;
  on_behalf_of: string | null;
  triggered_by: string | null;
  review_required: boolean | number;
  decided_by: string | null;
  decided_at: DbDate | null;
  decision_comment: string | null;
  claimed_by: string | null;
  claimed_at: DbDate | null;
  lease_expires_at: DbDate | null;
  failure_reason: string | null;
  auto_promotion: string | null;
  auto_promotion_until: DbDate | null;
  open_key: string | null;
  created_at: DbDate;
  updated_at: DbDate;
  started_at: DbDate | null;
  finished_at: DbDate | null;
};

type EventRow = {
  id: number | string;
  promotion_id: string;
  at: DbDate;
  actor: string;
  action: PromotionEventAction;
  from_status: PromotionStatus | null;
  to_status: PromotionStatus | null;
  message: string | null;
};

/** PostgreSQL returns Date objects, SQLite the epoch milliseconds it stored. */
type DbDate = Date | number | string;

function toDate(value: DbDate): Date {
  return value instanceof Date ? value : new Date(value);
}

function toIso(value: DbDate): string;
function toIso(value: DbDate | null): string | undefined;
function toIso(value: DbDate | null): string | undefined {
  return value === null ? undefined : toDate(value).toISOString();
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH
    ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : message;
}

function openKey(entityRef: string, to: string): string {
  return `${entityRef}|${to}`;
}

/** What a request that ended (succeeded or failed) no longer holds. */
function finishedFields(now: Date) {
  return { open_key: null, finished_at: now, lease_expires_at: null };
}

/** The ids of the requests `query` selects. */
async function idsOf(query: Knex.QueryBuilder<Row>): Promise<string[]> {
  const rows: Pick<Row, 'id'>[] = await query.select('id');
  return rows.map(r => r.id);
}

function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: string };
  // PostgreSQL unique_violation, and better-sqlite3's extended result code.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function toRequest(row: Row): PromotionRequest {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    project: row.project,
    from: row.from_env,
    to: row.to_env,
    image: row.image,
    status: row.status,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    onBehalfOf: row.on_behalf_of ?? undefined,
    triggeredBy: row.triggered_by ?? undefined,
    reviewRequired: Boolean(row.review_required),
    decision:
      row.decided_by && row.decided_at !== null
        ? {
            approved:
              row.status !== 'rejected' && row.status !== 'pending_review',
            by: row.decided_by,
            at: toIso(row.decided_at),
            comment: row.decision_comment ?? undefined,
          }
        : undefined,
    failureReason: row.failure_reason ?? undefined,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
  };
}

function toEvent(row: EventRow): PromotionEvent {
  return {
    id: Number(row.id),
    promotionId: row.promotion_id,
    at: toIso(row.at),
    actor: row.actor,
    action: row.action,
    fromStatus: row.from_status ?? undefined,
    toStatus: row.to_status ?? undefined,
    message: row.message ?? undefined,
  };
}

/** What a status change writes, besides the new status. */
interface Transition {
  id: string;
  /** The change applies only while the request is in this status. */
  from: PromotionStatus;
  to: PromotionStatus;
  /** Extra conditions, e.g. that this replica still holds the claim. */
  where?: Partial<Pick<Row, 'claimed_by'>>;
  set?: Partial<Row>;
  actor: string;
  action: PromotionEventAction;
  message?: string;
}

/**
 * Promotion requests and their audit history in the plugin's database.
 * Every status change is a conditional UPDATE (`WHERE status = <expected>`)
 * written in one transaction with its event, so concurrent callers and
 * replicas cannot both win a transition and the history never disagrees
 * with the state.
 */
export class PromotionStore {
  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<PromotionStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await PromotionStore.migrate(db);
    }
    return new PromotionStore(db, options.now);
  }

  static async migrate(db: Knex): Promise<void> {
    await db.migrate.latest({
      directory: resolvePackagePath(
        '@envplane/plugin-aws-environments-backend',
        'migrations',
      ),
    });
  }

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Inserts a request (with its `requested` event, and an `approved` one
   * when no review is required). Throws ConflictError when the entity
   * already has an open request into the same environment.
   */
  async insert(
    request: NewPromotion,
    options: { message?: string } = {},
  ): Promise<PromotionRequest> {
    return this.db.transaction(tx => this.insertIn(tx, request, options));
  }

  private async insertIn(
    tx: Knex.Transaction,
    request: NewPromotion,
    options: { message?: string },
  ): Promise<PromotionRequest> {
    const key = openKey(request.entityRef, request.to);
    // Checked first for a message that names the open request; the unique
    // index below still decides when two requests race.
    const open = await tx<Row>(PROMOTIONS).where('open_key', key).first();
    if (open) {
      throw new ConflictError(
        `${request.entityRef} already has an open promotion into ${request.to} (${open.id}, ${open.status}); decide or finish it first`,
      );
    }
    const now = this.now();
    const id = randomUUID();
    const status: PromotionStatus = request.reviewRequired
      ? 'pending_review'
      : 'approved';
    try {
      await tx<Row>(PROMOTIONS).insert({
        id,
        entity_ref: request.entityRef,
        project: request.project,
        from_env: request.from,
        to_env: request.to,
        image: request.image,
        status,
        trigger: request.trigger,
        requested_by: request.requestedBy,
        on_behalf_of: request.onBehalfOf ?? null,
        triggered_by: request.triggeredBy ?? null,
        review_required: request.reviewRequired,
        open_key: key,
        created_at: now,
        updated_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${request.entityRef} already has an open promotion into ${request.to}; decide or finish it first`,
        );
      }
      throw error;
    }
    const summary = `Requested promotion of ${request.image} from ${request.from} to ${request.to}`;
    await this.addEvent(tx, {
      promotion_id: id,
      at: now,
      actor: request.requestedBy,
      action: 'requested',
      from_status: null,
      // Without review a request is approved the moment it is made.
      to_status: status,
      message: [
        options.message ?? summary,
        request.reviewRequired
          ? `waiting for review`
          : `${request.to} requires no review`,
      ].join('; '),
    });
    return toRequest((await tx<Row>(PROMOTIONS).where('id', id).first())!);
  }

  async get(id: string): Promise<PromotionRequest | undefined> {
    const row = await this.db<Row>(PROMOTIONS).where('id', id).first();
    return row ? toRequest(row) : undefined;
  }

  /** Requests by id, in the order asked, undefined where there is none. */
  async getMany(ids: string[]): Promise<Array<PromotionRequest | undefined>> {
    const rows = ids.length
      ? await this.db<Row>(PROMOTIONS).whereIn('id', ids)
      : [];
    const byId = new Map(rows.map(row => [row.id, toRequest(row)]));
    return ids.map(id => byId.get(id));
  }

  async list(filter: PromotionListFilter): Promise<PromotionRequest[]> {
    const query = this.db<Row>(PROMOTIONS)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(filter.limit);
    if (filter.entityRefs) {
      query.whereIn('entity_ref', filter.entityRefs);
    }
    if (filter.statuses) {
      query.whereIn('status', filter.statuses);
    }
    return (await query).map(toRequest);
  }

  /** The audit history of one request, oldest first. */
  async events(id: string): Promise<PromotionEvent[]> {
    const rows = await this.db<EventRow>(EVENTS)
      .where('promotion_id', id)
      .orderBy('id');
    return rows.map(toEvent);
  }

  /**
   * Records a review decision. Throws ConflictError when the request is no
   * longer waiting for review, including when another reviewer won a race.
   */
  async decide(decision: {
    id: string;
    approved: boolean;
    by: string;
    comment?: string;
    message: string;
  }): Promise<PromotionRequest> {
    const now = this.now();
    const to = decision.approved ? 'approved' : 'rejected';
    const changed = await this.transition({
      id: decision.id,
      from: 'pending_review',
      to,
      set: {
        decided_by: decision.by,
        decided_at: now,
        decision_comment: decision.comment ?? null,
        ...(decision.approved ? {} : { open_key: null, finished_at: now }),
      },
      actor: decision.by,
      action: to,
      message: decision.message,
    });
    if (!changed) {
      const current = await this.get(decision.id);
      throw new ConflictError(
        `Promotion ${decision.id} is ${
          current?.status ?? 'gone'
        }, not waiting for review`,
      );
    }
    return changed;
  }

  /** Approved requests, oldest first: the order in which they were asked for. */
  async listApprovedIds(limit: number): Promise<string[]> {
    return idsOf(
      this.db<Row>(PROMOTIONS)
        .where('status', 'approved')
        .orderBy('created_at')
        .limit(limit),
    );
  }

  /**
   * Moves an approved request to `deploying` for `claimer`. Returns
   * undefined when it was not approved anymore: another replica claimed it.
   */
  async claim(
    id: string,
    claimer: string,
    leaseMs: number,
  ): Promise<PromotionRequest | undefined> {
    const now = this.now();
    return this.transition({
      id,
      from: 'approved',
      to: 'deploying',
      set: {
        claimed_by: claimer,
        claimed_at: now,
        lease_expires_at: new Date(now.getTime() + leaseMs),
        started_at: now,
      },
      actor: claimer,
      action: 'deploy_started',
      message: `Deployment started by backend instance ${claimer}`,
    });
  }

  /** Extends the claim; false when this replica no longer holds it. */
  async renewLease(
    id: string,
    claimer: string,
    leaseMs: number,
  ): Promise<boolean> {
    const updated = await this.db<Row>(PROMOTIONS)
      .where({ id, status: 'deploying', claimed_by: claimer })
      .update({
        lease_expires_at: new Date(this.now().getTime() + leaseMs),
      });
    return updated === 1;
  }

  async addProgress(id: string, actor: string, message: string): Promise<void> {
    await this.noteIn(this.db, id, actor, 'progress', message);
  }

  /**
   * Ends a deployment this replica claimed. Returns undefined when the
   * claim was lost meanwhile (the request was marked failed after its lease
   * expired), so the caller can record the late outcome instead.
   */
  async finish(options: {
    id: string;
    claimer: string;
    outcome: { ok: true } | { ok: false; reason: string };
    /** Set after a success when the next environment promotes automatically. */
    autoPromotionUntil?: Date;
    /** The event's message instead of the default one (or the reason). */
    message?: string;
  }): Promise<PromotionRequest | undefined> {
    const { id, claimer, outcome } = options;
    const now = this.now();
    const base = finishedFields(now);
    if (outcome.ok) {
      return this.transition({
        id,
        from: 'deploying',
        to: 'succeeded',
        where: { claimed_by: claimer },
        set: {
          ...base,
          ...(options.autoPromotionUntil
            ? {
                auto_promotion: 'pending',
                auto_promotion_until: options.autoPromotionUntil,
              }
            : {}),
        },
        actor: claimer,
        action: 'succeeded',
        message: options.message ?? 'Deployment succeeded',
      });
    }
    return this.transition({
      id,
      from: 'deploying',
      to: 'failed',
      where: { claimed_by: claimer },
      set: { ...base, failure_reason: truncate(outcome.reason) },
      actor: claimer,
      action: 'failed',
      message: options.message ?? outcome.reason,
    });
  }

  /** Deployments whose claim expired: their replica went away. */
  async listExpiredClaimIds(): Promise<string[]> {
    return idsOf(
      this.db<Row>(PROMOTIONS)
        .where('status', 'deploying')
        .where('lease_expires_at', '<', this.now()),
    );
  }

  /** Deployments `claimer` holds, e.g. the ones it resumed after a restart. */
  async listClaimedIds(claimer: string): Promise<string[]> {
    return idsOf(
      this.db<Row>(PROMOTIONS).where({
        status: 'deploying',
        claimed_by: claimer,
      }),
    );
  }

  /**
   * Moves a deployment with an expired claim to `claimer` (a conditional
   * UPDATE: of several replicas one wins). Returns the request and the
   * instance that held it, or undefined when it finished, was renewed or
   * was taken over by another replica in the meantime.
   */
  async takeOverExpiredClaim(
    id: string,
    claimer: string,
    leaseMs: number,
  ): Promise<
    { promotion: PromotionRequest; previousClaimer: string } | undefined
  > {
    const now = this.now();
    return this.db.transaction(async tx => {
      const row = await tx<Row>(PROMOTIONS)
        .where({ id, status: 'deploying' })
        .where('lease_expires_at', '<', now)
        .first();
      if (!row) {
        return undefined;
      }
      const previous = tx<Row>(PROMOTIONS).where({
        id,
        status: 'deploying',
      });
      if (row.claimed_by === null) {
        previous.whereNull('claimed_by');
      } else {
        previous.where('claimed_by', row.claimed_by);
      }
      const updated = await previous
        .where('lease_expires_at', '<', now)
        .update({
          claimed_by: claimer,
          claimed_at: now,
          lease_expires_at: new Date(now.getTime() + leaseMs),
          updated_at: now,
        });
      if (updated !== 1) {
        return undefined;
      }
      const taken = await tx<Row>(PROMOTIONS).where({ id }).first();
      return taken
        ? {
            promotion: toRequest(taken),
            previousClaimer: row.claimed_by ?? 'unknown',
          }
        : undefined;
    });
  }

  /**
   * Marks a deployment with an expired claim as failed. Returns undefined
   * when it finished or was renewed in the meantime.
   */
  async failExpiredClaim(
    id: string,
    actor: string,
    reason: string,
  ): Promise<PromotionRequest | undefined> {
    const now = this.now();
    return this.db.transaction(async tx => {
      const row = await tx<Row>(PROMOTIONS)
        .where({ id, status: 'deploying' })
        .where('lease_expires_at', '<', now)
        .first();
      if (!row) {
        return undefined;
      }
      return this.transitionIn(tx, {
        id,
        from: 'deploying',
        to: 'failed',
        where: { claimed_by: row.claimed_by },
        set: { ...finishedFields(now), failure_reason: reason },
        actor,
        action: 'failed',
        message: `${reason} (claimed by ${row.claimed_by})`,
      });
    });
  }

  /** Records an event that changes no status, e.g. a late deployment outcome. */
  async note(
    id: string,
    actor: string,
    action: PromotionEventAction,
    message: string,
  ): Promise<void> {
    await this.noteIn(this.db, id, actor, action, message);
  }

  async listPendingAutoPromotions(): Promise<PendingAutoPromotion[]> {
    const rows = await this.db<Row>(PROMOTIONS)
      .where({ status: 'succeeded', auto_promotion: 'pending' })
      .orderBy('finished_at');
    return rows.map(row => ({
      promotion: toRequest(row),
      until: toDate(row.auto_promotion_until ?? row.updated_at),
    }));
  }

  /**
   * Settles the automatic follow-up of a succeeded promotion exactly once:
   * either creates the request into the `auto` environment, or records why
   * not. Returns undefined when another replica settled it first.
   */
  async settleAutoPromotion(
    parentId: string,
    actor: string,
    outcome: { create: NewPromotion } | { skip: string },
  ): Promise<{ created: PromotionRequest } | { skipped: string } | undefined> {
    return this.db.transaction(async tx => {
      const claimed = await tx<Row>(PROMOTIONS)
        .where({ id: parentId, auto_promotion: 'pending' })
        .update({
          auto_promotion: 'create' in outcome ? 'created' : 'skipped',
          updated_at: this.now(),
        });
      if (claimed !== 1) {
        return undefined;
      }
      if ('skip' in outcome) {
        await this.noteIn(
          tx,
          parentId,
          actor,
          'auto_promotion_skipped',
          outcome.skip,
        );
        return { skipped: outcome.skip };
      }
      const request = outcome.create;
      const open = await tx<Row>(PROMOTIONS)
        .where('open_key', openKey(request.entityRef, request.to))
        .first();
      if (open) {
        // Someone asked for it already; the open request stands.
        const reason = `Not requested automatically: ${request.to} already has an open promotion (${open.id}, ${open.status})`;
        await this.noteIn(
          tx,
          parentId,
          actor,
          'auto_promotion_skipped',
          reason,
        );
        return { skipped: reason };
      }
      const created = await this.insertIn(tx, request, {
        message: `Requested automatically after ${parentId} succeeded in ${request.from} and ${request.from} was healthy`,
      });
      await this.noteIn(
        tx,
        parentId,
        actor,
        'auto_promotion_requested',
        `Requested promotion ${created.id} into ${request.to}`,
      );
      return { created };
    });
  }

  /**
   * Per entity and target environment: the last succeeded promotion, the
   * last failed one and the open request, if any.
   */
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
    return result;
  }

  private async transition(
    change: Transition,
  ): Promise<PromotionRequest | undefined> {
    return this.db.transaction(tx => this.transitionIn(tx, change));
  }

  private async transitionIn(
    tx: Knex.Transaction,
    change: Transition,
  ): Promise<PromotionRequest | undefined> {
    const now = this.now();
    const updated = await tx<Row>(PROMOTIONS)
      .where({ id: change.id, status: change.from, ...change.where })
      .update({ ...change.set, status: change.to, updated_at: now });
    if (updated !== 1) {
      return undefined;
    }
    await this.addEvent(tx, {
      promotion_id: change.id,
      at: now,
      actor: change.actor,
      action: change.action,
      from_status: change.from,
      to_status: change.to,
      message: change.message ?? null,
    });
    return toRequest(
      (await tx<Row>(PROMOTIONS).where('id', change.id).first())!,
    );
  }

  /** Records an event that changes no status. */
  private async noteIn(
    db: Knex | Knex.Transaction,
    id: string,
    actor: string,
    action: PromotionEventAction,
    message: string,
  ): Promise<void> {
    await this.addEvent(db, {
      promotion_id: id,
      at: this.now(),
      actor,
      action,
      from_status: null,
      to_status: null,
      message,
    });
  }

  private async addEvent(
    db: Knex | Knex.Transaction,
    event: Omit<EventRow, 'id'>,
  ): Promise<void> {
    await db<EventRow>(EVENTS).insert({
      ...event,
      message: event.message === null ? null : truncate(event.message),
    });
  }
}
