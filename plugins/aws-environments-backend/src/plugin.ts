import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { awsEnvironmentsPermissions } from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsDeployerServiceRef } from '@envplane/plugin-aws-environments-node';
import { createGetAwsEnvironmentStatusAction } from './actions/createGetAwsEnvironmentStatusAction';
import { createGetDeliveryMetricsAction } from './actions/createGetDeliveryMetricsAction';
import { createCostRoutes } from './cost';
import {
  createPromotionWorkflow,
  createStatusEnvironmentStateReader,
} from './promotions';
import { createRouter } from './router';
import { EntityStatusReader } from './service/EntityStatusReader';
import { awsEnvironmentsServiceRef } from './service/awsEnvironmentsServiceRef';
import { createDriftChecks } from './drift';
import { createStatusSnapshots } from './snapshots';

/**
 * The AWS environments backend: status of each entity's environments (ECS,
 * SSM metadata, CloudWatch metrics and logs) over HTTP and as an action,
 * and the promotion of images along the environments' path, deployed
 * through the CDK deploy path of `awsEnvironmentsDeployerServiceRef`.
 *
 * @public
 */
export const awsEnvironmentsPlugin = createBackendPlugin({
  pluginId: 'aws-environments',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        service: awsEnvironmentsServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        notifications: notificationService,
        deployer: awsEnvironmentsDeployerServiceRef,
        metrics: metricsServiceRef,
        cache: coreServices.cache,
      },
      async init({
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        actionsRegistry,
        service,
        config,
        logger,
        database,
        scheduler,
        auth,
        userInfo,
        notifications,
        deployer,
        metrics,
        cache,
      }) {
        permissionsRegistry.addPermissions(awsEnvironmentsPermissions);
        const snapshots = await createStatusSnapshots({
          config,
          logger,
          database,
          scheduler,
          auth,
          catalog,
          permissions,
          service,
        });
        const reader = new EntityStatusReader({
          catalog,
          permissions,
          service,
          onRead: snapshots.record,
        });
        httpRouter.use(
          await createRouter({ httpAuth, reader, overview: snapshots.reader }),
        );
        createGetAwsEnvironmentStatusAction({ actionsRegistry, reader });
        httpRouter.use(
          await createCostRoutes({
            config,
            logger,
            cache,
            catalog,
            permissions,
            httpAuth,
            metrics,
          }),
        );

        // During init: the workflow registers its permission resource type,
        // which the permissions registry only accepts before the plugin
        // has started.
        const promotions = await createPromotionWorkflow({
          config,
          logger,
          database,
          scheduler,
          auth,
          httpAuth,
          userInfo,
          permissions,
          permissionsRegistry,
          catalog,
          notifications,
          deployer,
          metrics,
          stateReader: createStatusEnvironmentStateReader({ reader }),
        });
        httpRouter.use(promotions.router);
        createGetDeliveryMetricsAction({
          actionsRegistry,
          promotions: promotions.service,
        });

        const drift = await createDriftChecks({
          config,
          logger,
          database,
          scheduler,
          auth,
          httpAuth,
          catalog,
          permissions,
          service,
          metrics,
        });
        httpRouter.use(drift.router);
      },
    });
  },
});
