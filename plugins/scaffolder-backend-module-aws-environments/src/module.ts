import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDestroyAction } from './actions/destroy';
import { createPromoteAction } from './actions/promote';
import { createProvisionAction } from './actions/provision';
import { createCostEstimateReader } from './provisioning/costEstimate';

/**
 * Registers `aws:environments:provision`, `aws:environments:destroy` and
 * `aws:environments:promote` with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleAwsEnvironments = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-environments',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        metrics: metricsServiceRef,
      },
      async init({
        scaffolder,
        config,
        auth,
        discovery,
        permissions,
        metrics,
      }) {
        // Credentials per account from the `aws` config section (assumed
        // roles, profiles or the default chain).
        const credentialsManager =
          DefaultAwsCredentialsManager.fromConfig(config);
        scaffolder.addActions(
          createProvisionAction({
            config,
            credentialsManager,
            metrics,
            // The aws-environments backend's estimate, as the initiator.
            costEstimates: createCostEstimateReader({ auth, discovery }),
          }),
          createDestroyAction({ config, credentialsManager, permissions }),
          // Through the aws-environments backend, as the task's initiator.
          createPromoteAction({ config, auth, discovery }),
        );
      },
    });
  },
});
