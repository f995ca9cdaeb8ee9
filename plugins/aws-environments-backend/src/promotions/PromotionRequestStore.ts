import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import {
  PromotionEvent,
  PromotionEventAction,
  PromotionKind,
  PromotionRequest,
  PromotionStatus,
  PromotionTrigger,
} from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import {
  PROMOTIONS,
  Row,
  StoredGate,
  addEvent,
  addNote,
  openKey,
  readEvents,
  toDate,
  toRequest,
  transition,
} from './promotionTables';

/** A request as the service hands it to the store. */
export interface NewPromotion {
  entityRef: string;
  project: string;
  from: string;
  to: string;
  image: string;
  /** Default `promotion`. */
  kind?: PromotionKind;
  /** For rollbacks: the succeeded request being undone. */
  rollbackOf?: string;
  /** The gate to pass before deploying, placeholders filled in. */
  gate?: StoredGate;
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

function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: string };
  // PostgreSQL unique_violation, and better-sqlite3's extended result code.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Promotion requests and their audit history: asking, reviewing, reading,
 * and the notes the workflow adds. Every status change is a conditional
 * UPDATE written in one transaction with its event (`promotionTables.ts`),
 * so concurrent reviewers cannot both win and the history never disagrees
 * with the state. Deployment claims are {@link PromotionLeaseStore}'s.
 */
export class PromotionRequestStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Runs `fn` with a store whose reads and writes all belong to one
   * transaction, committed when `fn` resolves and rolled back when it throws.
   */
  async transaction<T>(
    fn: (requests: PromotionRequestStore) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(tx =>
      fn(new PromotionRequestStore(tx, this.now)),
    );
  }

  /**
   * Inserts a request (with its `requested` event, and an `approved` one
   * when no review is required). Throws ConflictError when the project
   * already has an open request into the same environment.
   */
  async insert(
    request: NewPromotion,
    options: { message?: string } = {},
  ): Promise<PromotionRequest> {
    return this.db.transaction(async tx => {
      const key = openKey(request.project, request.to);
      // Checked first for a message that names the open request; the unique
      // index below still decides when two requests race.
      const open = await tx<Row>(PROMOTIONS).where('open_key', key).first();
      if (open) {
        throw new ConflictError(
          `Project ${request.project} already has an open promotion into ${request.to} (${open.id}, ${open.status}, requested through ${open.entity_ref}); decide or finish it first`,
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
          kind: request.kind ?? 'promotion',
          rollback_of: request.rollbackOf ?? null,
          gate: request.gate ? JSON.stringify(request.gate) : null,
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
            `Project ${request.project} already has an open promotion into ${request.to}; decide or finish it first`,
          );
        }
        throw error;
      }
      const summary =
        request.kind === 'rollback'
          ? `Requested rollback of ${request.to} to ${request.image}, undoing ${request.rollbackOf}`
          : `Requested promotion of ${request.image} from ${request.from} to ${request.to}`;
      await addEvent(tx, {
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
    });
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

  /** The open request of `project` into `to`, if there is one. */
  async getOpen(
    project: string,
    to: string,
  ): Promise<PromotionRequest | undefined> {
    const row = await this.db<Row>(PROMOTIONS)
      .where('open_key', openKey(project, to))
      .first();
    return row ? toRequest(row) : undefined;
  }

  /** Newest first. */
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
    return readEvents(this.db, id);
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
    const changed = await transition(this.db, this.now, {
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

  /** Remembers what ran in the target when the deployment started. */
  async recordReplacedImage(id: string, image: string): Promise<void> {
    await this.db<Row>(PROMOTIONS)
      .where('id', id)
      .update({ replaced_image: image });
  }

  async addProgress(id: string, actor: string, message: string): Promise<void> {
    await this.note(id, actor, 'progress', message);
  }

  /** Records an event that changes no status, e.g. a late deployment outcome. */
  async note(
    id: string,
    actor: string,
    action: PromotionEventAction,
    message: string,
  ): Promise<void> {
    await addNote(this.db, { id, at: this.now(), actor, action, message });
  }

  /** Succeeded requests whose automatic follow-up is not settled yet. */
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
   * Marks the automatic follow-up of a succeeded request settled (a
   * conditional UPDATE: of several replicas one wins). False when it was
   * not pending anymore.
   */
  async settleAutoPromotion(
    id: string,
    outcome: 'created' | 'skipped',
  ): Promise<boolean> {
    const updated = await this.db<Row>(PROMOTIONS)
      .where({ id, auto_promotion: 'pending' })
      .update({ auto_promotion: outcome, updated_at: this.now() });
    return updated === 1;
  }
}
