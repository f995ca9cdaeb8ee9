import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  AwsEnvironmentsService,
  DefaultAwsEnvironmentsService,
} from './AwsEnvironmentsService';

/**
 * The AWS status service. Replace it in a backend (or a test) by adding
 * another factory for this ref.
 *
 * @public
 */
export const awsEnvironmentsServiceRef =
  createServiceRef<AwsEnvironmentsService>({
    id: 'aws-environments.status',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          cache: coreServices.cache,
          metrics: metricsServiceRef,
        },
        factory: ({ config, logger, cache, metrics }) =>
          DefaultAwsEnvironmentsService.fromConfig(config, {
            logger,
            cache,
            metrics,
          }),
      }),
  });
