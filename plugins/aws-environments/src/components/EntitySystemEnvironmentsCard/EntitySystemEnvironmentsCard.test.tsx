import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { configApiRef, identityApiRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AwsEnvironmentsApi, awsEnvironmentsApiRef } from '../../api';
import { deliveryMetrics } from '../../__fixtures__/deliveryMetrics';
import { environment, overview, response } from '../../__fixtures__/status';
import { EntitySystemEnvironmentsCard } from './EntitySystemEnvironmentsCard';

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'devops',
    namespace: 'default',
    annotations: { 'aws-environments.io/project': 'devops-app' },
  },
  spec: { owner: 'group:default/devops-team' },
};

const component = (
  name: string,
  spec: Record<string, unknown>,
  namespace = 'default',
  annotated = true,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace,
    annotations: annotated ? { 'aws-environments.io/project': name } : {},
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team', ...spec },
});

async function render(entities: Entity[]) {
  const api = {
    getEntityOverview: jest.fn(async () =>
      overview(response([environment('test', 0)])),
    ),
    getPromotionSummary: jest.fn(async () => ({})),
    getDeliveryMetrics: jest.fn(async (ref: string, days: number) =>
      deliveryMetrics(ref, days),
    ),
  } satisfies Partial<AwsEnvironmentsApi>;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [awsEnvironmentsApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: [system, ...entities] })],
        [
          configApiRef,
          mockApis.config({
            data: {
              awsEnvironments: {
                environments: [
                  {
                    name: 'test',
                    title: 'Test',
                    promotion: { trigger: 'manual', reviewRequired: false },
                  },
                ],
              },
            },
          }),
        ],
        [identityApiRef, mockApis.identity()],
      ]}
    >
      <EntityProvider entity={system}>
        <EntitySystemEnvironmentsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('EntitySystemEnvironmentsCard', () => {
  it('shows the System’s annotated components, however their system is written', async () => {
    const api = await render([
      component('short-ref', { system: 'devops' }),
      component('full-ref', { system: 'system:default/devops' }),
      component('other-system', { system: 'payments' }),
      // Same short name, but it resolves to another namespace's System.
      component('other-namespace', { system: 'devops' }, 'sandbox'),
      component('no-system', {}),
      component('not-annotated', { system: 'devops' }, 'default', false),
    ]);

    await screen.findAllByText('short-ref');
    const rows = screen
      .getAllByTestId('cell-test')
      .map(cell => within(cell.closest('tr')!).getAllByRole('link')[0]);
    expect(rows.map(link => link.textContent)).toEqual([
      'short-ref',
      'full-ref',
    ]);
    expect(api.getPromotionSummary).toHaveBeenCalledWith([
      'component:default/short-ref',
      'component:default/full-ref',
    ]);
    // Delivery metrics per component of the System.
    expect(
      await screen.findByTestId('delivery-metrics-short-ref'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('delivery-metrics-full-ref')).toBeInTheDocument();
    expect(api.getDeliveryMetrics.mock.calls).toEqual([
      ['component:default/short-ref', 30],
      ['component:default/full-ref', 30],
    ]);
  });

  it('says how to get a service on it when the System has none', async () => {
    await render([component('other-system', { system: 'payments' })]);
    expect(
      await screen.findByText(/No service carries the/),
    ).toBeInTheDocument();
  });
});
