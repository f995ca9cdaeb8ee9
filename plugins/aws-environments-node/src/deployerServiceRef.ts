import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  createPromotionDeployer,
  PromotionDeployer,
} from './promotionDeployer';

/**
 * The deployer promotions run through: by default the CDK deploy path
 * (`createPromotionDeployer`) with credentials per account from the `aws`
 * config section, as the scaffolder actions use them. A backend (or a test)
 * replaces it by adding another factory for this ref.
 *
 * @public
 */
export const awsEnvironmentsDeployerServiceRef =
  createServiceRef<PromotionDeployer>({
    id: 'aws-environments.deployer',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
        },
        factory: ({ config, logger }) =>
          createPromotionDeployer({
            config,
            logger,
            credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
          }),
      }),
  });
