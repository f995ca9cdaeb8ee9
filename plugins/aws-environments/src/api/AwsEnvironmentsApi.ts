import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CostEstimateRequest,
  CostEstimateResponse,
  CreatePromotionRequest,
  CreateRollbackRequest,
  DeliveryMetricsResponse,
  EntityDriftResponse,
  EnvironmentDrift,
  EntityCostResponse,
  EnvironmentLogsResponse,
  EnvironmentStatusResponse,
  PromotionDetails,
  PromotionRequest,
  PromotionSummaryResponse,
  StatusOverviewResponse,
  StatusOverviewRow,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';

/**
 * Reads environment status and promotions from the aws-environments backend.
 *
 * @public
 */
export interface AwsEnvironmentsApi {
  /**
   * The status of every environment of an entity. The request names only
   * the entity, optionally one environment, and a range: the backend
   * resolves every AWS identifier itself.
   */
  getStatus(options: {
    entity: CompoundEntityRef;
    range: StatusRange;
    environment?: string;
    /** Leave the log lines out (see `getLogs`). Default true. */
    logs?: boolean;
  }): Promise<EnvironmentStatusResponse>;

  /** One environment's newest log lines, read on their own. */
  getLogs(options: {
    entity: CompoundEntityRef;
    range: StatusRange;
    environment: string;
  }): Promise<EnvironmentLogsResponse>;

  /**
   * An entity's environments in summary (health, counts, image, rollout,
   * top findings), from the backend's status snapshots: what the status
   * grid shows, without the tasks, metrics and logs of `getStatus`.
   */
  getEntityOverview(entity: CompoundEntityRef): Promise<StatusOverviewRow>;

  /**
   * The drift of each of an entity's environments' stacks as last checked
   * (CloudFormation drift detection), read from the backend's database.
   */
  getDrift(entity: CompoundEntityRef): Promise<EntityDriftResponse>;

  /**
   * Starts a drift check of one environment's stack and resolves with that
   * environment's drift as it now stands (`checking`); poll `getDrift` for
   * the result. Within the backend's rate limit it rejects with a
   * `ResponseError` of status 429 whose message says when it may run again.
   */
  checkDrift(options: {
    entity: CompoundEntityRef;
    environment: string;
  }): Promise<EnvironmentDrift>;

  /**
   * One page of the components with AWS environments the caller may see,
   * filtered on the server, with their environments' summaries: what the
   * status page shows, in one request however many services there are.
   */
  getOverviewPage(query: OverviewPageQuery): Promise<StatusOverviewResponse>;

  /** Open and past promotion requests, newest first. */
  listPromotions(filter?: {
    entityRef?: string;
    status?: string;
  }): Promise<PromotionRequest[]>;

  /** One request with its audit history. */
  getPromotion(id: string): Promise<PromotionDetails>;

  /** Per entity and environment: the last promotion that landed and the open one. */
  getPromotionSummary(entityRefs: string[]): Promise<PromotionSummaryResponse>;

  /** Asks to promote what runs in `from` into `to`, the next environment. */
  createPromotion(request: CreatePromotionRequest): Promise<PromotionRequest>;

  /** Asks to roll an environment back to what ran before its last deployment. */
  createRollback(request: CreateRollbackRequest): Promise<PromotionRequest>;

  /** A component's delivery metrics over the last `days` days. */
  getDeliveryMetrics(
    entityRef: string,
    days: number,
  ): Promise<DeliveryMetricsResponse>;

  /** Approves a request waiting for review, with an optional comment. */
  approvePromotion(id: string, comment?: string): Promise<PromotionRequest>;

  /** Rejects a request waiting for review, with an optional comment. */
  rejectPromotion(id: string, comment?: string): Promise<PromotionRequest>;

  /**
   * The monthly cost estimate of a planned run (the wizard's choices), per
   * environment and in total; the backend takes regions from its config.
   */
  estimateCost(request: CostEstimateRequest): Promise<CostEstimateResponse>;

  /** What each of an entity's environments costs as its stack is now. */
  getEntityCost(entity: CompoundEntityRef): Promise<EntityCostResponse>;
}

/**
 * The filters and page of {@link AwsEnvironmentsApi.getOverviewPage}.
 *
 * @public
 */
export interface OverviewPageQuery {
  /** `spec.owner` as the entities write it, e.g. `group:default/team-a`. */
  owner?: string;
  /** `spec.system` as the entities write it. */
  system?: string;
  /** Part of an entity's name or title. */
  text?: string;
  /** A cursor from the previous answer; the filters then come from it. */
  cursor?: string;
  /** Rows per page, 1 to 100. Default 25. */
  limit?: number;
}

/**
 * The API ref of {@link AwsEnvironmentsApi}; the plugin provides
 * {@link AwsEnvironmentsClient} for it.
 *
 * @public
 */
export const awsEnvironmentsApiRef = createApiRef<AwsEnvironmentsApi>({
  id: 'plugin.aws-environments.service',
});
