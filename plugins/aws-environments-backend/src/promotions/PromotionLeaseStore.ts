import { PromotionRequest } from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import {
  PROMOTIONS,
  Row,
  finishedFields,
  idsOf,
  toRequest,
  transition,
  transitionIn,
  truncate,
} from './promotionTables';

/**
 * The deployment queue: approved requests are claimed by one backend
 * instance under a lease that instance renews while it deploys; a lease
 * that expires (the instance went away) is taken over or failed by another
 * one. Each step is a conditional UPDATE, so of several replicas exactly
 * one wins it, and status changes are written with their event.
 */
export class PromotionLeaseStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Approved requests, oldest first: the order in which they were asked for. */
  async listApprovedIds(limit: number): Promise<string[]> {
    return idsOf(
      this.db<Row>(PROMOTIONS)
        .where('status', 'approved')
        // A request with a gate waits until it has passed.
        .where(q => q.whereNull('gate').orWhereNotNull('verified_at'))
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
    return transition(this.db, this.now, {
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
    const base = finishedFields(this.now());
    if (outcome.ok) {
      return transition(this.db, this.now, {
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
    return transition(this.db, this.now, {
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
      const row = await expiredDeployment(tx, id, now);
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
      const row = await expiredDeployment(tx, id, now);
      if (!row) {
        return undefined;
      }
      return transitionIn(tx, this.now, {
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
}

/** The deployment `id` while its lease has run out, inside `tx`. */
function expiredDeployment(
  tx: Knex.Transaction,
  id: string,
  now: Date,
): Promise<Row | undefined> {
  return tx<Row>(PROMOTIONS)
    .where({ id, status: 'deploying' })
    .where('lease_expires_at', '<', now)
    .first();
}
