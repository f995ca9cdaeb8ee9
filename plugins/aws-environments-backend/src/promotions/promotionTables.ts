import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  PromotionEvent,
  PromotionEventAction,
  PromotionGate,
  PromotionKind,
  PromotionRequest,
  PromotionStatus,
  PromotionTrigger,
} from '@envplane/plugin-aws-environments-common';
import { Knex } from 'knex';

/*
 * The two tables the promotion stores share (see migrations/): their row
 * shapes, how rows become API objects, and the writes every store makes to
 * the audit history. Internal to the stores.
 */

export const PROMOTIONS = 'promotions';
export const EVENTS = 'promotion_events';

/** Progress lines come from CloudFormation; one huge line must not bloat the history. */
const MAX_MESSAGE_LENGTH = 4000;

/** Brings the plugin's database to the latest schema. */
export async function migratePromotionTables(db: Knex): Promise<void> {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@envplane/plugin-aws-environments-backend',
      'migrations',
    ),
  });
}

/** What a request stores of its gate when it is made. */
export type StoredGate = Pick<
  PromotionGate,
  'soakMinutes' | 'alarmNames' | 'alarmPrefixes'
>;

/** PostgreSQL returns Date objects, SQLite the epoch milliseconds it stored. */
export type DbDate = Date | number | string;

export type Row = {
  id: string;
  entity_ref: string;
  project: string;
  from_env: string;
  to_env: string;
  image: string;
  kind: PromotionKind;
  rollback_of: string | null;
  replaced_image: string | null;
  /** JSON of {@link StoredGate}. */
  gate: string | null;
  verifying_since: DbDate | null;
  verified_at: DbDate | null;
  gate_blocked_by: string | null;
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

export function toDate(value: DbDate): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toIso(value: DbDate): string;
export function toIso(value: DbDate | null): string | undefined;
export function toIso(value: DbDate | null): string | undefined {
  return value === null ? undefined : toDate(value).toISOString();
}

export function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH
    ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : message;
}

/**
 * Set while a request is open and cleared when it ends; its unique index is
 * what allows one open request per (project, target environment), whichever
 * entity asked: two components that name the same project deploy the same
 * stacks.
 */
export function openKey(project: string, to: string): string {
  return `project:${project}|${to}`;
}

/** What a request that ended (succeeded or failed) no longer holds. */
export function finishedFields(now: Date) {
  return { open_key: null, finished_at: now, lease_expires_at: null };
}

/** The ids of the requests `query` selects. */
export async function idsOf(query: Knex.QueryBuilder<Row>): Promise<string[]> {
  const rows: Pick<Row, 'id'>[] = await query.select('id');
  return rows.map(r => r.id);
}

export function toRequest(row: Row): PromotionRequest {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    project: row.project,
    from: row.from_env,
    to: row.to_env,
    image: row.image,
    kind: row.kind,
    rollbackOf: row.rollback_of ?? undefined,
    replacedImage: row.replaced_image ?? undefined,
    gate: row.gate
      ? {
          ...(JSON.parse(row.gate) as StoredGate),
          verifyingSince: toIso(row.verifying_since),
          verifiedAt: toIso(row.verified_at),
          blockedBy: row.gate_blocked_by ?? undefined,
        }
      : undefined,
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

export function toEvent(row: EventRow): PromotionEvent {
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

/** The audit history of one request, oldest first. */
export async function readEvents(
  db: Knex,
  id: string,
): Promise<PromotionEvent[]> {
  const rows = await db<EventRow>(EVENTS)
    .where('promotion_id', id)
    .orderBy('id');
  return rows.map(toEvent);
}

export async function addEvent(
  db: Knex,
  event: Omit<EventRow, 'id'>,
): Promise<void> {
  await db<EventRow>(EVENTS).insert({
    ...event,
    message: event.message === null ? null : truncate(event.message),
  });
}

/** Records an event that changes no status. */
export async function addNote(
  db: Knex,
  note: {
    id: string;
    at: Date;
    actor: string;
    action: PromotionEventAction;
    message: string;
  },
): Promise<void> {
  await addEvent(db, {
    promotion_id: note.id,
    at: note.at,
    actor: note.actor,
    action: note.action,
    from_status: null,
    to_status: null,
    message: note.message,
  });
}

/** What a status change writes, besides the new status. */
export interface Transition {
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
 * Applies a status change as a conditional UPDATE (`WHERE status = <from>`)
 * with its event, in `tx`: of concurrent callers exactly one wins, and the
 * history never disagrees with the state. Undefined when the request was not
 * in `from` (or the extra conditions did not hold).
 */
export async function transitionIn(
  tx: Knex.Transaction,
  clock: () => Date,
  change: Transition,
): Promise<PromotionRequest | undefined> {
  const now = clock();
  const updated = await tx<Row>(PROMOTIONS)
    .where({ id: change.id, status: change.from, ...change.where })
    .update({ ...change.set, status: change.to, updated_at: now });
  if (updated !== 1) {
    return undefined;
  }
  await addEvent(tx, {
    promotion_id: change.id,
    at: now,
    actor: change.actor,
    action: change.action,
    from_status: change.from,
    to_status: change.to,
    message: change.message ?? null,
  });
  return toRequest((await tx<Row>(PROMOTIONS).where('id', change.id).first())!);
}

/** {@link transitionIn} in a transaction of its own. */
export async function transition(
  db: Knex,
  clock: () => Date,
  change: Transition,
): Promise<PromotionRequest | undefined> {
  return db.transaction(tx => transitionIn(tx, clock, change));
}
