import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { awsEnvironmentsPermissions } from '@internal/plugin-aws-environments-common';
import { createGetAwsEnvironmentStatusAction } from './actions/createGetAwsEnvironmentStatusAction';
import { createRouter } from './router';
import { EntityStatusReader } from './service/EntityStatusReader';
import { awsEnvironmentsServiceRef } from './service/awsEnvironmentsServiceRef';

/**
 * The AWS environments backend: status of each entity's environments (ECS,
 * SSM metadata, CloudWatch metrics and logs) over HTTP and as an action.
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
      },
      async init({
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        actionsRegistry,
        service,
      }) {
        permissionsRegistry.addPermissions(awsEnvironmentsPermissions);
        const reader = new EntityStatusReader({
          catalog,
          permissions,
          service,
        });
        httpRouter.use(await createRouter({ httpAuth, reader }));
        createGetAwsEnvironmentStatusAction({ actionsRegistry, reader });
      },
    });
  },
});
