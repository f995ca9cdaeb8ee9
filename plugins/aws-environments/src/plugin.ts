import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
import { rootRouteRef, statusPageRouteRef } from './routes';
import {
  CostEstimateField,
  COST_ESTIMATE_FIELD_NAME,
} from './components/CostEstimateField';

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

/**
 * The wizard's cost estimate as a scaffolder field extension (legacy
 * frontend system): register it inside `<ScaffolderFieldExtensions>` and
 * use `ui:field: AwsEnvironmentsCostEstimate` in a template. It reads the
 * form's `environments`, `desiredCount`, `minCapacity`, `maxCapacity`,
 * `loadBalancer` (and `taskCpu`/`taskMemory` when present) and stores no
 * value.
 *
 * @public
 */
export const AwsEnvironmentsCostEstimateFieldExtension =
  awsEnvironmentsPlugin.provide(
    createScaffolderFieldExtension({
      name: COST_ESTIMATE_FIELD_NAME,
      component: CostEstimateField,
    }),
  );
