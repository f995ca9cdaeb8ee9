import { ResponseError } from '@backstage/errors';
import {
  CreatePromotionRequest,
  CreateRollbackRequest,
  DeliveryMetricsResponse,
  PromotionDetails,
  PromotionListResponse,
  PromotionRequest,
  PROMOTION_SUMMARY_MAX_ENTITY_REFS,
  PromotionSummaryResponse,
} from './promotions';

/**
 * One request of {@link PromotionsClient}: plain values, so a caller's
 * fetch function can add headers (say, a token) by spreading them.
 *
 * @public
 */
export interface PromotionsFetchInit {
  /** The HTTP method. */
  method: 'GET' | 'POST';
  /** Request headers; `Accept` always, `Content-Type` with a body. */
  headers: Record<string, string>;
  /** The JSON body of a POST. */
  body?: string;
}

/**
 * How {@link PromotionsClient} reaches the backend; the same in the browser
 * (discovery and fetch APIs) and in Node (discovery service, global fetch
 * with a service token).
 *
 * @public
 */
export interface PromotionsClientOptions {
  /** The aws-environments backend's base URL, as discovery reports it. */
  baseUrl(): Promise<string>;
  /** Sends one request; authentication is the caller's to add. */
  fetch(url: string, init: PromotionsFetchInit): Promise<Response>;
}

/**
 * The promotion HTTP API of the aws-environments backend. A failed request
 * rejects with `ResponseError` of `@backstage/errors`, which carries the
 * status code and the backend's own error.
 *
 * @public
 */
export class PromotionsClient {
  constructor(private readonly options: PromotionsClientOptions) {}

  /** Open and past promotion requests, newest first. */
  async listPromotions(
    filter: { entityRef?: string; status?: string } = {},
  ): Promise<PromotionRequest[]> {
    const query = new URLSearchParams();
    if (filter.entityRef) query.set('entityRef', filter.entityRef);
    if (filter.status) query.set('status', filter.status);
    const result = await this.request<PromotionListResponse>(
      'GET',
      `/promotions?${query}`,
    );
    return result.items;
  }

  /** One request with its audit history. */
  getPromotion(id: string): Promise<PromotionDetails> {
    return this.request('GET', `/promotions/${encodeURIComponent(id)}`);
  }

  /** Per entity and environment: the last promotion that landed and the open one. */
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
          'GET',
          `/promotions/summary?${new URLSearchParams({
            entityRefs: batch.join(','),
          })}`,
        ),
      ),
    );
    return Object.assign({}, ...answers);
  }

  /** Asks to promote what runs in `from` into `to`, the next environment. */
  createPromotion(request: CreatePromotionRequest): Promise<PromotionRequest> {
    return this.request('POST', '/promotions', request);
  }

  /**
   * Asks to redeploy into an environment what ran there before its last
   * successful deployment; the backend picks the image from its history.
   */
  createRollback(request: CreateRollbackRequest): Promise<PromotionRequest> {
    return this.request('POST', '/rollbacks', request);
  }

  /** A component's delivery metrics over the last `days` days. */
  getDeliveryMetrics(
    entityRef: string,
    days: number,
  ): Promise<DeliveryMetricsResponse> {
    return this.request(
      'GET',
      `/delivery-metrics?${new URLSearchParams({
        entityRef,
        days: String(days),
      })}`,
    );
  }

  /** Approves a request waiting for review, with an optional comment. */
  approvePromotion(id: string, comment?: string): Promise<PromotionRequest> {
    return this.request(
      'POST',
      `/promotions/${encodeURIComponent(id)}/approve`,
      { comment },
    );
  }

  /** Rejects a request waiting for review, with an optional comment. */
  rejectPromotion(id: string, comment?: string): Promise<PromotionRequest> {
    return this.request(
      'POST',
      `/promotions/${encodeURIComponent(id)}/reject`,
      { comment },
    );
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const init: PromotionsFetchInit =
      body === undefined
        ? { method, headers: { Accept: 'application/json' } }
        : {
            method,
            headers: {
              Accept: 'application/json',
              'Content-Type': 'application/json',
            },
            body: JSON.stringify(body),
          };
    const baseUrl = await this.options.baseUrl();
    const response = await this.options.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
