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
 *
 * @public
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
 *
 * @public
 */
export const OPEN_PROMOTION_STATUSES: readonly PromotionStatus[] = [
  'pending_review',
  'approved',
  'deploying',
];

/**
 * Every status a request can have.
 *
 * @public
 */
export const PROMOTION_STATUSES: readonly PromotionStatus[] = [
  ...OPEN_PROMOTION_STATUSES,
  'rejected',
  'succeeded',
  'failed',
];

/**
 * The requester of promotions the backend creates by itself (`auto` environments).
 *
 * @public
 */
export const PROMOTION_SYSTEM_ACTOR = 'system:aws-environments';

/**
 * How a request came about.
 *
 * @public
 */
export type PromotionTrigger = 'manual' | 'auto';

/**
 * What a request deploys: the next step of the promotion path, or the image
 * that ran in an environment before its last successful deployment.
 *
 * @public
 */
export type PromotionKind = 'promotion' | 'rollback';

/**
 * The verification gate of a request and where it stands: what runs in the
 * source environment must have run healthy for `soakMinutes` with none of
 * the alarms in ALARM before the request deploys.
 *
 * @public
 */
export interface PromotionGate {
  /** Minutes of uninterrupted health the gate asks for. */
  soakMinutes: number;
  /** Alarm names checked in the source environment, placeholders filled in. */
  alarmNames: string[];
  /** Alarm name prefixes checked in the source environment. */
  alarmPrefixes: string[];
  /** Since when the source has been seen healthy without interruption. */
  verifyingSince?: string;
  /** When the gate passed; the request may deploy from then on. */
  verifiedAt?: string;
  /** Why the soak is not counting right now (a finding, an alarm, another image). */
  blockedBy?: string;
}

/**
 * A review decision on a request.
 *
 * @public
 */
export interface PromotionDecision {
  /** True when approved, false when rejected. */
  approved: boolean;
  /** Entity ref of the reviewer (or of the requester withdrawing it). */
  by: string;
  /** When the decision was made. */
  at: string;
  /** The reviewer's comment. */
  comment?: string;
}

/**
 * One request to move an entity's image from one environment to the next.
 *
 * @public
 */
export interface PromotionRequest {
  /** The request's id. */
  id: string;
  /** The entity whose image is promoted. */
  entityRef: string;
  /** The project name from the entity's `aws-environments.io/project`. */
  project: string;
  /** Source environment: the image is what ran there when requested. */
  from: string;
  /** Target environment: the next one after `from` on the promotion path. */
  to: string;
  /** The container image to deploy into `to`. */
  image: string;
  /**
   * `rollback` redeploys into `to` (then equal to `from`) the image that
   * ran there before the last successful deployment.
   */
  kind: PromotionKind;
  /** For rollbacks: the succeeded request whose deployment is undone. */
  rollbackOf?: string;
  /** The image that ran in `to` when the deployment started, when known. */
  replacedImage?: string;
  /** The verification gate it must pass before deploying, when `to` has one. */
  gate?: PromotionGate;
  /** Where the request stands. */
  status: PromotionStatus;
  /** Whether a user asked for it or the backend did (`auto` environments). */
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
  /** Whether the request waits for an approval (the target's policy when it was made). */
  reviewRequired: boolean;
  /** The review decision, once there is one. */
  decision?: PromotionDecision;
  /** Why the deployment failed, from CloudFormation or the backend. */
  failureReason?: string;
  /** When the request was made. */
  createdAt: string;
  /** When the request last changed. */
  updatedAt: string;
  /** When the deployment started. */
  startedAt?: string;
  /** When the deployment ended (succeeded or failed) or the request was rejected. */
  finishedAt?: string;
}

/**
 * What happened to a request, in the audit history.
 *
 * @public
 */
export type PromotionEventAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'deploy_started'
  | 'progress'
  | 'succeeded'
  | 'failed'
  | 'auto_promotion_requested'
  | 'auto_promotion_skipped'
  | 'verification_started'
  | 'verification_reset'
  | 'verified';

/**
 * One entry of a request's audit history.
 *
 * @public
 */
export interface PromotionEvent {
  /** The event's id, increasing with time. */
  id: number;
  /** The request the event belongs to. */
  promotionId: string;
  /** When it happened. */
  at: string;
  /** Entity ref of the user, or {@link PROMOTION_SYSTEM_ACTOR}. */
  actor: string;
  /** What happened. */
  action: PromotionEventAction;
  /** Set when the event changed the status. */
  fromStatus?: PromotionStatus;
  /** Set when the event changed the status. */
  toStatus?: PromotionStatus;
  /** A comment, a progress line or a failure reason. */
  message?: string;
}

/**
 * `GET /promotions/:id`: a request with its history, oldest event first.
 *
 * @public
 */
export interface PromotionDetails extends PromotionRequest {
  /** The request's audit history, oldest first. */
  events: PromotionEvent[];
}

/**
 * `GET /promotions`: newest first.
 *
 * @public
 */
export interface PromotionListResponse {
  /** The requests, newest first. */
  items: PromotionRequest[];
}

/**
 * `POST /promotions` body.
 *
 * @public
 */
export interface CreatePromotionRequest {
  /** The entity to promote. */
  entityRef: string;
  /** Source environment. */
  from: string;
  /** Target environment: the next one after `from`. */
  to: string;
  /** Defaults to the image running in `from`; must equal it when given. */
  image?: string;
}

/**
 * `POST /rollbacks` body. The image is never part of the request: the
 * backend takes it from the history of the environment.
 *
 * @public
 */
export interface CreateRollbackRequest {
  /** The Component whose project is rolled back. */
  entityRef: string;
  /** The environment to roll back. */
  environment: string;
}

/**
 * What a rollback of one environment would deploy.
 *
 * @public
 */
export interface RollbackTarget {
  /** The image that ran before the last successful deployment. */
  image: string;
  /** The succeeded request whose deployment a rollback undoes. */
  undoes: string;
  /** The image that request deployed. */
  replaces: string;
}

/**
 * `POST /promotions/:id/approve` and `/reject` body.
 *
 * @public
 */
export interface PromotionDecisionRequest {
  /** The reviewer's comment. */
  comment?: string;
}

/**
 * The last promotion that succeeded into one environment.
 *
 * @public
 */
export interface LastSucceededPromotion {
  /** The request that deployed it. */
  promotionId: string;
  /** The image it deployed. */
  image: string;
  /** When the deployment finished. */
  at: string;
  /** Who requested it: a user entity ref or {@link PROMOTION_SYSTEM_ACTOR}. */
  requestedBy: string;
}

/**
 * Promotion state of one entity in one environment, for the status page.
 *
 * @public
 */
export interface EnvironmentPromotionSummary {
  /** The last promotion that succeeded into this environment. */
  lastSucceeded?: LastSucceededPromotion;
  /** The open request into this environment, if any. */
  pending?: PromotionRequest;
  /**
   * The newest request into this environment whose deployment failed, with
   * its `failureReason`; the status page shows it when it is newer than
   * `lastSucceeded`.
   */
  lastFailed?: PromotionRequest;
  /** What "Roll back" would deploy; absent when there is nothing to roll back to. */
  rollbackTo?: RollbackTarget;
}

/**
 * How many entity refs one `GET /promotions/summary` accepts; clients ask
 * for more in several requests, which keeps each URL within server limits.
 *
 * @public
 */
export const PROMOTION_SUMMARY_MAX_ENTITY_REFS = 100;

/**
 * `GET /promotions/summary?entityRefs=a,b`: per entity ref, per target
 * environment. Entities the caller may not see are left out; environments
 * without promotions are absent.
 *
 * @public
 */
export type PromotionSummaryResponse = Record<
  string,
  Record<string, EnvironmentPromotionSummary>
>;

/**
 * Time to restore in one environment: from a failure (a failed deployment,
 * or a successful one that was later rolled back) to the next successful
 * deployment there.
 *
 * @public
 */
export interface TimeToRestore {
  /** Failures in the window that were followed by a successful deployment. */
  restored: number;
  /** Failures in the window with no successful deployment since. */
  unrestored: number;
  /** Median over the restored ones; absent when there are none. */
  medianMinutes?: number;
}

/**
 * Delivery metrics of one project in one environment over the window.
 *
 * @public
 */
export interface EnvironmentDeliveryMetrics {
  /** The environment's name. */
  environment: string;
  /** Successful deployments (promotions and rollbacks) finished in the window. */
  deployments: number;
  /** `deployments` per 7 days of the window. */
  deploymentsPerWeek: number;
  /** Promotions whose deployment finished in the window, succeeded or failed. */
  changes: number;
  /** Of `changes`, the ones whose deployment failed. */
  failed: number;
  /** Of `changes`, the succeeded ones a later rollback undid. */
  rolledBack: number;
  /** (failed + rolledBack) / changes; absent without changes. */
  changeFailureRate?: number;
  /** From failures to the next successful deployment. */
  timeToRestore: TimeToRestore;
}

/**
 * Lead time of one image: from the first request to promote it out of the
 * first environment (when it is first known to run there) to its successful
 * deployment into the last one.
 *
 * @public
 */
export interface ImageLeadTime {
  /** The image delivered. */
  image: string;
  /** When the image was first asked to move on from the first environment. */
  startedAt: string;
  /** When its deployment into the last environment finished. */
  deliveredAt: string;
  /** From `startedAt` to `deliveredAt`. */
  minutes: number;
}

/**
 * `GET /delivery-metrics?entityRef=&days=`: a project's delivery metrics
 * from its promotion history, over the last `days` days.
 *
 * @public
 */
export interface DeliveryMetricsResponse {
  /** The Component asked about. */
  entityRef: string;
  /** Its project: the metrics cover every request of the project. */
  project: string;
  /** The window: `days` days up to `to`. */
  window: { from: string; to: string; days: number };
  /** Along the promotion path, first environment first. */
  environments: EnvironmentDeliveryMetrics[];
  /** Lead times of the images that reached the last environment in the window. */
  leadTime: {
    /** From the first to the last environment of the path. */
    from: string;
    to: string;
    /** Median over `images`; absent when none reached the last environment. */
    medianMinutes?: number;
    /** Newest delivery first. */
    images: ImageLeadTime[];
  };
}
