import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { configApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { entity } from './__fixtures__/entities';
import { deliveryMetrics } from './__fixtures__/deliveryMetrics';
import { environment, overview, response } from './__fixtures__/status';
import { entityCost, entityDrift } from './__fixtures__/costAndDrift';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  awsEnvironmentsApiRef,
  awsEnvironmentsPlugin,
  EntityAwsEnvironmentsContent,
  isAwsEnvironmentsAvailable,
} from './index';

const project = { 'aws-environments.io/project': 'devops-app' };

describe('legacy frontend system exports', () => {
  it('provides the plugin and its API', () => {
    expect(awsEnvironmentsPlugin.getId()).toBe('aws-environments');
    expect([...awsEnvironmentsPlugin.getApis()].map(f => f.api.id)).toContain(
      'plugin.aws-environments.service',
    );
  });

  it('renders the routable tab, loaded lazily, in a legacy app', async () => {
    const statuses = response([environment('test', 0), environment('qa', 1)]);
    const getEntityOverview = jest.fn(async () => overview(statuses));
    const getStatus = jest.fn(async () => statuses);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            awsEnvironmentsApiRef,
            {
              getEntityOverview,
              getStatus,
              getEntityCost: async () => entityCost(['test', 'qa']),
              getDrift: async () => entityDrift(['test', 'qa']),
              getDeliveryMetrics: async (ref: string, days: number) =>
                deliveryMetrics(ref, days),
            },
          ],
          [configApiRef, mockApis.config()],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={entity(project)}>
          {/* As EntityLayout.Route mounts it: the app finds its path here. */}
          <Routes>
            <Route
              path="/environments"
              element={<EntityAwsEnvironmentsContent />}
            />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/environments?environment=test'] },
    );
    expect(await screen.findByTestId('overview-test')).toBeInTheDocument();
    expect(screen.getByTestId('overview-qa')).toBeInTheDocument();
    expect(getEntityOverview).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'x',
    });
    // The environment named in the URL opens with its details.
    expect(await screen.findByTestId('environment-test')).toBeInTheDocument();
    expect(screen.getAllByText('/devops-app/test/app-secret')).toHaveLength(1);
    expect(getStatus).toHaveBeenCalledWith({
      entity: { kind: 'Component', namespace: 'default', name: 'x' },
      environment: 'test',
      range: '1h',
      logs: false,
    });
  });

  it('is available only on Components with the project annotation', () => {
    expect(isAwsEnvironmentsAvailable(entity())).toBe(false);
    expect(isAwsEnvironmentsAvailable(entity(project))).toBe(true);
    expect(isAwsEnvironmentsAvailable(entity(project, 'component'))).toBe(true);
    // The provisioning action annotates the System and the environment
    // Resources with the same project; they have no service to show.
    expect(isAwsEnvironmentsAvailable(entity(project, 'System'))).toBe(false);
    expect(isAwsEnvironmentsAvailable(entity(project, 'Resource'))).toBe(false);
  });
});
