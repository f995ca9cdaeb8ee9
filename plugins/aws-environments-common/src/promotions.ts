/**
 * The shape of the backend's promotion API, shared with the frontend.
 * JSON-safe: dates are ISO 8601 strings.
 */

/**
 * Where a promotion request stands. A request into an environment without
 * review starts at `approved`; one with review starts at `pending_review`.
 *
 * ```
 * pending_review ─▶ approved ─▶ deploying ─▶ succeeded
 *        │                          └──────▶ failed
 *        └────────▶ rejected
 * ```
 */
export type PromotionStatus =
  | 'pending_review'
  | 'approved'
  | 'rejected'
  | 'deploying'
  | 'succeeded'
  | 'failed';

/**
 * Statuses of a request that is still open. There is at most one open
 * request per entity and target environment.
 */
export const OPEN_PROMOTION_STATUSES: readonly PromotionStatus[] = [
  'pending_review',
  'approved',
  'deploying',
];

export const PROMOTION_STATUSES: readonly PromotionStatus[] = [
  ...OPEN_PROMOTION_STATUSES,
  'rejected',
  'succeeded',
  'failed',
];

/** The requester of promotions the backend creates by itself (`auto` environments). */
export const PROMOTION_SYSTEM_ACTOR = 'system:aws-environments';

/** How a request came about. */
export type PromotionTrigger = 'manual' | 'auto';

/** A review decision on a request. */
export interface PromotionDecision {
  approved: boolean;
  /** Entity ref of the reviewer (or of the requester withdrawing it). */
  by: string;
  at: string;
  comment?: string;
}

/** One request to move an entity's image from one environment to the next. */
export interface PromotionRequest {
  id: string;
  entityRef: string;
  /** The project name from the entity's `aws-environments.io/project`. */
  project: string;
  /** Source environment: the image is what ran there when requested. */
  from: string;
  /** Target environment: the next one after `from` on the promotion path. */
  to: string;
  image: string;
  status: PromotionStatus;
  trigger: PromotionTrigger;
  /** User entity ref, or {@link PROMOTION_SYSTEM_ACTOR} for automatic requests. */
  requestedBy: string;
  /**
   * For automatic requests: the user who requested the promotion whose
   * success triggered this one. They count as requester for four-eyes.
   */
  onBehalfOf?: string;
  /** For automatic requests: the promotion whose success triggered this one. */
  triggeredBy?: string;
  reviewRequired: boolean;
  decision?: PromotionDecision;
  /** Why the deployment failed, from CloudFormation or the backend. */
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
  /** When the deployment started. */
  startedAt?: string;
  /** When the deployment ended (succeeded or failed) or the request was rejected. */
  finishedAt?: string;
}

/** What happened to a request, in the audit history. */
export type PromotionEventAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'deploy_started'
  | 'progress'
  | 'succeeded'
  | 'failed'
  | 'auto_promotion_requested'
  | 'auto_promotion_skipped';

/** One entry of a request's audit history. */
export interface PromotionEvent {
  id: number;
  promotionId: string;
  at: string;
  /** Entity ref of the user, or {@link PROMOTION_SYSTEM_ACTOR}. */
  actor: string;
  action: PromotionEventAction;
  /** Set when the event changed the status. */
  fromStatus?: PromotionStatus;
  toStatus?: PromotionStatus;
  message?: string;
}

/** `GET /promotions/:id`: a request with its history, oldest event first. */
export interface PromotionDetails extends PromotionRequest {
  events: PromotionEvent[];
}

/** `GET /promotions`: newest first. */
export interface PromotionListResponse {
  items: PromotionRequest[];
}

/** `POST /promotions` body. */
export interface CreatePromotionRequest {
  entityRef: string;
  from: string;
  to: string;
  /** Defaults to the image running in `from`; must equal it when given. */
  image?: string;
}

/** `POST /promotions/:id/approve` and `/reject` body. */
export interface PromotionDecisionRequest {
  comment?: string;
}

/** The last promotion that succeeded into one environment. */
export interface LastSucceededPromotion {
  promotionId: string;
  image: string;
  /** When the deployment finished. */
  at: string;
  requestedBy: string;
}

/** Promotion state of one entity in one environment, for the status page. */
export interface EnvironmentPromotionSummary {
  lastSucceeded?: LastSucceededPromotion;
  /** The open request into this environment, if any. */
  pending?: PromotionRequest;
  /**
   * The newest request into this environment whose deployment failed, with
   * its `failureReason`; the status page shows it when it is newer than
   * `lastSucceeded`.
   */
  lastFailed?: PromotionRequest;
}

/**
 * How many entity refs one `GET /promotions/summary` accepts; clients ask
 * for more in several requests, which keeps each URL within server limits.
 */
export const PROMOTION_SUMMARY_MAX_ENTITY_REFS = 100;

/**
 * `GET /promotions/summary?entityRefs=a,b`: per entity ref, per target
 * environment. Entities the caller may not see are left out; environments
 * without promotions are absent.
 */
export type PromotionSummaryResponse = Record<
  string,
  Record<string, EnvironmentPromotionSummary>
>;
