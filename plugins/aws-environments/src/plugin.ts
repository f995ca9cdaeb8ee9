import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
import { rootRouteRef, statusPageRouteRef } from './routes';

/**
 * The plugin for Backstage's legacy frontend system.
 *
 * @public
 */
export const awsEnvironmentsPlugin = createPlugin({
  id: 'aws-environments',
  apis: [
    createApiFactory({
      api: awsEnvironmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AwsEnvironmentsClient(deps),
    }),
  ],
  routes: { root: rootRouteRef, statusPage: statusPageRouteRef },
});

/**
 * The Environments tab for an entity page (legacy frontend system):
 * `<EntityLayout.Route path="/environments" title="Environments" if={isAwsEnvironmentsAvailable}>`.
 *
 * @public
 */
export const EntityAwsEnvironmentsContent: () => JSX.Element =
  awsEnvironmentsPlugin.provide(
    createRoutableExtension({
      name: 'EntityAwsEnvironmentsContent',
      component: () =>
        import('./components/EntityAwsEnvironmentsContent').then(
          m => m.EntityAwsEnvironmentsContent,
        ),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The environment status page (legacy frontend system):
 * `<Route path="/aws-environments" element={<AwsEnvironmentsPage />} />`.
 *
 * @public
 */
export const AwsEnvironmentsPage: () => JSX.Element =
  awsEnvironmentsPlugin.provide(
    createRoutableExtension({
      name: 'AwsEnvironmentsPage',
      component: () =>
        import('./components/EnvironmentStatusPage').then(
          m => m.EnvironmentStatusPage,
        ),
      mountPoint: statusPageRouteRef,
    }),
  );

/**
 * The status view of one System's components, for the System's page.
 *
 * @public
 */
export const EntitySystemEnvironmentsCard: () => JSX.Element =
  awsEnvironmentsPlugin.provide(
    createComponentExtension({
      name: 'EntitySystemEnvironmentsCard',
      component: {
        lazy: () =>
          import('./components/EntitySystemEnvironmentsCard').then(
            m => m.EntitySystemEnvironmentsCard,
          ),
      },
    }),
  );
