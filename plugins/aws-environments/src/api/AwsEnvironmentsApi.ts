import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CreatePromotionRequest,
  EnvironmentStatusResponse,
  PromotionDetails,
  PromotionRequest,
  PromotionSummaryResponse,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';

/** Reads environment status from the aws-environments backend. */
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
  }): Promise<EnvironmentStatusResponse>;

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

  approvePromotion(id: string, comment?: string): Promise<PromotionRequest>;

  rejectPromotion(id: string, comment?: string): Promise<PromotionRequest>;
}

export const awsEnvironmentsApiRef = createApiRef<AwsEnvironmentsApi>({
  id: 'plugin.aws-environments.service',
});
