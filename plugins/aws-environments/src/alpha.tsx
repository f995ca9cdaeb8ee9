/**
 * The AWS environments plugin for Backstage's new frontend system: the
 * Environments tab, the status page and the System card as extensions.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
import { isAwsEnvironmentsAvailable } from './isAwsEnvironmentsAvailable';
import { statusPageRouteRef } from './routes';

const awsEnvironmentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsEnvironmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AwsEnvironmentsClient(deps),
    }),
});

/** The Environments tab on entity pages that carry our annotations. */
const entityEnvironmentsContent = EntityContentBlueprint.make({
  params: {
    path: 'environments',
    title: 'Environments',
    filter: isAwsEnvironmentsAvailable,
    // Loaded on first visit of the tab, so the charts stay out of the main bundle.
    loader: () =>
      import('./components/EntityAwsEnvironmentsContent').then(m => (
        <m.EntityAwsEnvironmentsContent />
      )),
  },
});

/** The environment status page, with its sidebar item "Environments". */
const statusPage = PageBlueprint.make({
  params: {
    path: '/aws-environments',
    title: 'Environments',
    icon: <CloudQueueIcon />,
    routeRef: statusPageRouteRef,
    loader: () =>
      import('./components/EnvironmentStatusPage').then(m => (
        <m.EnvironmentStatusPage />
      )),
  },
});

/** The same view for one System's components, on the System's page. */
const systemCard = EntityCardBlueprint.make({
  name: 'system-environments',
  params: {
    filter: { kind: 'system' },
    loader: () =>
      import('./components/EntitySystemEnvironmentsCard').then(m => (
        <m.EntitySystemEnvironmentsCard />
      )),
  },
});

/**
 * The wizard's cost estimate (`ui:field: AwsEnvironmentsCostEstimate`),
 * for the scaffolder's form; loaded when a form first needs its fields.
 */
const costEstimateFormField = FormFieldBlueprint.make({
  name: 'cost-estimate',
  params: {
    field: () =>
      import('./components/CostEstimateField/formField').then(
        m => m.costEstimateFormField,
      ),
  },
});

/**
 * The plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'aws-environments',
  routes: { statusPage: statusPageRouteRef },
  extensions: [
    awsEnvironmentsApi,
    entityEnvironmentsContent,
    statusPage,
    systemCard,
    costEstimateFormField,
  ],
});
