import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
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
      },
      async init({ catalog, config, logger, scheduler }) {
        const environments = readAwsEnvironments(config);
        const credentials = DefaultAwsCredentialsManager.fromConfig(config);
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
          clientFor: async environment => {
            const { sdkCredentialProvider } =
              await credentials.getCredentialProvider({
                accountId: environment.accountId,
              });
            return new CloudFormationClient({
              region: environment.region,
              credentials: sdkCredentialProvider,
              maxAttempts: 3,
            });
          },
        });
        catalog.addEntityProvider(provider);
      },
    });
  },
});
