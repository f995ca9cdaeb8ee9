import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { AwsEnvironmentsEntityProvider } from './AwsEnvironmentsEntityProvider';

/**
 * Catalog module: entities for every project provisioned with the AWS
 * environments plugins, found from their CloudFormation stacks.
 *
 * @public
 */
export const catalogModuleAwsEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-environments',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        metrics: metricsServiceRef,
      },
      async init({ catalog, config, logger, scheduler, metrics }) {
        const environments = readAwsEnvironments(config);
        const clients = AwsClientFactory.fromConfig(config, { metrics });
        const seconds =
          config.getOptionalNumber(
            'catalog.providers.awsEnvironments.frequencySeconds',
          ) ?? 30;
        const provider = new AwsEnvironmentsEntityProvider({
          environments,
          taskRunner: scheduler.createScheduledTaskRunner({
            frequency: { seconds },
            timeout: { minutes: 2 },
          }),
          logger,
          namespace: config.getOptionalString(
            'catalog.providers.awsEnvironments.namespace',
          ),
          // One listing pages through every stack of the account at once
          // (40 DescribeStacks for 4,000 stacks, see docs/benchmarks.md):
          // adaptive retry slows the pages after a throttled one instead of
          // failing the listing, which would keep the catalog unchanged.
          clientFor: environment =>
            clients.client(CloudFormationClient, environment, {
              retryMode: 'adaptive',
            }),
        });
        catalog.addEntityProvider(provider);
      },
    });
  },
});
