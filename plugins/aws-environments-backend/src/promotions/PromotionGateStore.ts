import { PromotionRequest } from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';
import {
  PROMOTIONS,
  Row,
  addNote,
  toRequest,
  truncate,
} from './promotionTables';

/** The history's actor for what the gate observes. */
const GATE_ACTOR = 'system:aws-environments';

/**
 * Where the verification gates of open requests stand: since when the
 * source has been seen healthy, what holds the soak back, when it passed.
 * Each change is a conditional UPDATE, so replicas observing at once agree;
 * the changes that matter to people are added to the history.
 */
export class PromotionGateStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Open requests whose gate has not passed yet, oldest first. */
  async listUnverified(): Promise<PromotionRequest[]> {
    const rows = await this.db<Row>(PROMOTIONS)
      .whereIn('status', ['pending_review', 'approved'])
      .whereNotNull('gate')
      .whereNull('verified_at')
      .orderBy('created_at');
    return rows.map(toRequest);
  }

  /** Starts the soak clock of a request whose source is healthy now. */
  async startVerifying(id: string, message: string): Promise<boolean> {
    const now = this.now();
    const updated = await this.db<Row>(PROMOTIONS)
      .where({ id })
      .whereNull('verifying_since')
      .whereNull('verified_at')
      .update({ verifying_since: now, gate_blocked_by: null });
    if (updated === 1) {
      await addNote(this.db, {
        id,
        at: now,
        actor: GATE_ACTOR,
        action: 'verification_started',
        message,
      });
    }
    return updated === 1;
  }

  /**
   * Records what holds the soak back. A soak that was counting starts over,
   * and the history says why; a soak that was not counting only updates
   * its reason.
   */
  async block(id: string, reason: string): Promise<void> {
    const now = this.now();
    const blocked = truncate(reason);
    const reset = await this.db<Row>(PROMOTIONS)
      .where({ id })
      .whereNotNull('verifying_since')
      .whereNull('verified_at')
      .update({ verifying_since: null, gate_blocked_by: blocked });
    if (reset === 1) {
      await addNote(this.db, {
        id,
        at: now,
        actor: GATE_ACTOR,
        action: 'verification_reset',
        message: `Verification starts over: ${reason}`,
      });
      return;
    }
    await this.db<Row>(PROMOTIONS)
      .where({ id })
      .whereNull('verified_at')
      .update({ gate_blocked_by: blocked });
  }

  /** Marks the gate passed: from now on the request may deploy. */
  async markVerified(id: string, message: string): Promise<boolean> {
    const now = this.now();
    const updated = await this.db<Row>(PROMOTIONS)
      .where({ id })
      .whereNull('verified_at')
      .update({ verified_at: now, gate_blocked_by: null });
    if (updated === 1) {
      await addNote(this.db, {
        id,
        at: now,
        actor: GATE_ACTOR,
        action: 'verified',
        message,
      });
    }
    return updated === 1;
  }
}
