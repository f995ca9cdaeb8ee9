import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CreatePromotionRequest,
  EnvironmentStatusResponse,
  PromotionDetails,
  PromotionListResponse,
  PromotionRequest,
  PROMOTION_SUMMARY_MAX_ENTITY_REFS,
  PromotionSummaryResponse,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi } from './AwsEnvironmentsApi';

/**
 * The {@link AwsEnvironmentsApi} implementation that calls the
 * aws-environments backend over HTTP.
 *
 * @public
 */
export class AwsEnvironmentsClient implements AwsEnvironmentsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('aws-environments');
    const response = await this.options.fetchApi.fetch(`${base}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** {@inheritDoc AwsEnvironmentsApi.getStatus} */
  async getStatus(request: {
    entity: CompoundEntityRef;
    range: StatusRange;
    environment?: string;
  }): Promise<EnvironmentStatusResponse> {
    const { kind, namespace, name } = request.entity;
    const query = new URLSearchParams({ range: request.range });
    if (request.environment) {
      query.set('environment', request.environment);
    }
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.request(`/entity/${path}/status?${query}`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.listPromotions} */
  async listPromotions(
    filter: { entityRef?: string; status?: string } = {},
  ): Promise<PromotionRequest[]> {
    const query = new URLSearchParams();
    if (filter.entityRef) query.set('entityRef', filter.entityRef);
    if (filter.status) query.set('status', filter.status);
    const result = await this.request<PromotionListResponse>(
      `/promotions?${query}`,
    );
    return result.items;
  }

  /** {@inheritDoc AwsEnvironmentsApi.getPromotion} */
  getPromotion(id: string): Promise<PromotionDetails> {
    return this.request(`/promotions/${encodeURIComponent(id)}`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getPromotionSummary} */
  async getPromotionSummary(
    entityRefs: string[],
  ): Promise<PromotionSummaryResponse> {
    // A status page can list more services than one request accepts.
    const batches: string[][] = [];
    for (
      let i = 0;
      i < entityRefs.length;
      i += PROMOTION_SUMMARY_MAX_ENTITY_REFS
    ) {
      batches.push(entityRefs.slice(i, i + PROMOTION_SUMMARY_MAX_ENTITY_REFS));
    }
    const answers = await Promise.all(
      batches.map(batch =>
        this.request<PromotionSummaryResponse>(
          `/promotions/summary?${new URLSearchParams({
            entityRefs: batch.join(','),
          })}`,
        ),
      ),
    );
    return Object.assign({}, ...answers);
  }

  /** {@inheritDoc AwsEnvironmentsApi.createPromotion} */
  createPromotion(request: CreatePromotionRequest): Promise<PromotionRequest> {
    return this.post('/promotions', request);
  }

  /** {@inheritDoc AwsEnvironmentsApi.approvePromotion} */
  approvePromotion(id: string, comment?: string): Promise<PromotionRequest> {
    return this.post(`/promotions/${encodeURIComponent(id)}/approve`, {
      comment,
    });
  }

  /** {@inheritDoc AwsEnvironmentsApi.rejectPromotion} */
  rejectPromotion(id: string, comment?: string): Promise<PromotionRequest> {
    return this.post(`/promotions/${encodeURIComponent(id)}/reject`, {
      comment,
    });
  }
}
