import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
import { isAwsEnvironmentsAvailable } from './isAwsEnvironmentsAvailable';

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

/**
 * The plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'aws-environments',
  extensions: [awsEnvironmentsApi, entityEnvironmentsContent],
});
