import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentStatusResponse,
  StatusRange,
} from '@internal/plugin-aws-environments-common';

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
}

export const awsEnvironmentsApiRef = createApiRef<AwsEnvironmentsApi>({
  id: 'plugin.aws-environments.service',
});
