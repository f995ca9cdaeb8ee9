import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
import { rootRouteRef } from './routes';

/** The plugin for Backstage's legacy frontend system. */
export const awsEnvironmentsPlugin = createPlugin({
  id: 'aws-environments',
  apis: [
    createApiFactory({
      api: awsEnvironmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AwsEnvironmentsClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The Environments tab for an entity page (legacy frontend system):
 * `<EntityLayout.Route path="/environments" title="Environments" if={isAwsEnvironmentsAvailable}>`.
 */
export const EntityAwsEnvironmentsContent = awsEnvironmentsPlugin.provide(
  createRoutableExtension({
    name: 'EntityAwsEnvironmentsContent',
    component: () =>
      import('./components/EntityAwsEnvironmentsContent').then(
        m => m.EntityAwsEnvironmentsContent,
      ),
    mountPoint: rootRouteRef,
  }),
);
