import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
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
  PromotionsClient,
  PromotionSummaryResponse,
  StatusOverviewResponse,
  StatusOverviewRow,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi, OverviewPageQuery } from './AwsEnvironmentsApi';

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
  /** The last answer per URL with its ETag, for If-None-Match. */
  private readonly answers = new Map<string, { etag: string; body: unknown }>();

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
    logs?: boolean;
  }): Promise<EnvironmentStatusResponse> {
    const { kind, namespace, name } = request.entity;
    const query = new URLSearchParams({ range: request.range });
    if (request.environment) {
      query.set('environment', request.environment);
    }
    if (request.logs === false) {
      query.set('logs', 'false');
    }
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.getJson(`/entity/${path}/status?${query}`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getLogs} */
  async getLogs(request: {
    entity: CompoundEntityRef;
    range: StatusRange;
    environment: string;
  }): Promise<EnvironmentLogsResponse> {
    const { kind, namespace, name } = request.entity;
    const query = new URLSearchParams({
      environment: request.environment,
      range: request.range,
    });
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.getJson(`/entity/${path}/logs?${query}`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getOverviewPage} */
  async getOverviewPage(
    request: OverviewPageQuery,
  ): Promise<StatusOverviewResponse> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    return this.getJson(`/overview?${query}`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getEntityOverview} */
  async getEntityOverview(
    entity: CompoundEntityRef,
  ): Promise<StatusOverviewRow> {
    const { kind, namespace, name } = entity;
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.getJson(`/entity/${path}/overview`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.getDrift} */
  async getDrift(entity: CompoundEntityRef): Promise<EntityDriftResponse> {
    const { kind, namespace, name } = entity;
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.getJson(`/entity/${path}/drift`);
  }

  /** {@inheritDoc AwsEnvironmentsApi.checkDrift} */
  async checkDrift(request: {
    entity: CompoundEntityRef;
    environment: string;
  }): Promise<EnvironmentDrift> {
    const { kind, namespace, name } = request.entity;
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    const query = new URLSearchParams({ environment: request.environment });
    const base = await this.options.discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.options.fetchApi.fetch(
      `${base}/entity/${path}/drift?${query}`,
      { method: 'POST' },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  /**
   * GETs JSON, sending the ETag of the last answer for the same URL: an
   * unchanged status costs the backend a 304 and no body, and the last
   * answer is returned again.
   */
  private async getJson<T>(pathAndQuery: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl(PLUGIN_ID);
    const url = `${base}${pathAndQuery}`;
    const last = this.answers.get(url);
    const response = await this.options.fetchApi.fetch(
      url,
      last ? { headers: { 'If-None-Match': last.etag } } : undefined,
    );
    if (response.status === 304 && last) {
      return last.body as T;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = await response.json();
    const etag = response.headers.get('ETag');
    if (etag) {
      this.answers.set(url, { etag, body });
    }
    return body;
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

  /** {@inheritDoc AwsEnvironmentsApi.estimateCost} */
  async estimateCost(
    request: CostEstimateRequest,
  ): Promise<CostEstimateResponse> {
    const base = await this.options.discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.options.fetchApi.fetch(
      `${base}/cost/estimate`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  /** {@inheritDoc AwsEnvironmentsApi.getEntityCost} */
  async getEntityCost(entity: CompoundEntityRef): Promise<EntityCostResponse> {
    const { kind, namespace, name } = entity;
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.getJson(`/entity/${path}/cost`);
  }
}
