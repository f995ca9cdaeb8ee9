import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentStatusResponse,
  StatusRange,
} from '@internal/plugin-aws-environments-common';
import { AwsEnvironmentsApi } from './AwsEnvironmentsApi';

export class AwsEnvironmentsClient implements AwsEnvironmentsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getStatus(request: {
    entity: CompoundEntityRef;
    range: StatusRange;
    environment?: string;
  }): Promise<EnvironmentStatusResponse> {
    const { kind, namespace, name } = request.entity;
    const base = await this.options.discoveryApi.getBaseUrl('aws-environments');
    const query = new URLSearchParams({ range: request.range });
    if (request.environment) {
      query.set('environment', request.environment);
    }
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    const response = await this.options.fetchApi.fetch(
      `${base}/entity/${path}/status?${query}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
