import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CreatePromotionRequest,
  CreateRollbackRequest,
  DeliveryMetricsResponse,
  EnvironmentStatusResponse,
  PromotionDetails,
  PromotionRequest,
  PromotionsClient,
  PromotionSummaryResponse,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi } from './AwsEnvironmentsApi';

const PLUGIN_ID = 'aws-environments';

/**
 * The {@link AwsEnvironmentsApi} implementation that calls the
 * aws-environments backend over HTTP. Promotion calls go through the
 * shared `PromotionsClient` of the common package.
 *
 * @public
 */
export class AwsEnvironmentsClient implements AwsEnvironmentsApi {
  private readonly promotions: PromotionsClient;

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {
    this.promotions = new PromotionsClient({
      baseUrl: () => options.discoveryApi.getBaseUrl(PLUGIN_ID),
      fetch: (url, init) => options.fetchApi.fetch(url, init),
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
    const base = await this.options.discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.options.fetchApi.fetch(
      `${base}/entity/${path}/status?${query}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  /** {@inheritDoc AwsEnvironmentsApi.listPromotions} */
  listPromotions(filter?: {
    entityRef?: string;
    status?: string;
  }): Promise<PromotionRequest[]> {
    return this.promotions.listPromotions(filter);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getPromotion} */
  getPromotion(id: string): Promise<PromotionDetails> {
    return this.promotions.getPromotion(id);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getPromotionSummary} */
  getPromotionSummary(entityRefs: string[]): Promise<PromotionSummaryResponse> {
    return this.promotions.getPromotionSummary(entityRefs);
  }

  /** {@inheritDoc AwsEnvironmentsApi.createPromotion} */
  createPromotion(request: CreatePromotionRequest): Promise<PromotionRequest> {
    return this.promotions.createPromotion(request);
  }

  /** {@inheritDoc AwsEnvironmentsApi.createRollback} */
  createRollback(request: CreateRollbackRequest): Promise<PromotionRequest> {
    return this.promotions.createRollback(request);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getDeliveryMetrics} */
  getDeliveryMetrics(
    entityRef: string,
    days: number,
  ): Promise<DeliveryMetricsResponse> {
    return this.promotions.getDeliveryMetrics(entityRef, days);
  }

  /** {@inheritDoc AwsEnvironmentsApi.approvePromotion} */
  approvePromotion(id: string, comment?: string): Promise<PromotionRequest> {
    return this.promotions.approvePromotion(id, comment);
  }

  /** {@inheritDoc AwsEnvironmentsApi.rejectPromotion} */
  rejectPromotion(id: string, comment?: string): Promise<PromotionRequest> {
    return this.promotions.rejectPromotion(id, comment);
  }
}
