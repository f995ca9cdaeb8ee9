import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { configApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EnvironmentStatus,
  PromotionRequest,
} from '@envplane/plugin-aws-environments-common';
import {
  AwsEnvironmentsApi,
  OverviewPageQuery,
  awsEnvironmentsApiRef,
} from '../../api';
import { promotionConfigData } from '../../__fixtures__/config';
import { environment, overview, response } from '../../__fixtures__/status';
import { EnvironmentStatusPage } from './EnvironmentStatusPage';

const component = (name: string, owner: string, system: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'aws-environments.io/project': name },
  },
  spec: { type: 'service', lifecycle: 'production', owner, system },
});

const config = mockApis.config({ data: promotionConfigData });

const pending = (requestedBy: string): PromotionRequest => ({
  id: 'p1',
  entityRef: 'component:default/devops-app',
  project: 'devops-app',
  from: 'test',
  to: 'qa',
  kind: 'promotion',
  image: 'registry.example.com/app:1.2.4',
  status: 'pending_review',
  trigger: 'manual',
  requestedBy,
  reviewRequired: true,
  createdAt: '2026-11-25T12:00:00Z',
  updatedAt: '2026-11-25T12:00:00Z',
});

const COMPONENTS = [
  component('devops-app', 'group:default/devops-team', 'system:default/devops'),
  component('billing', 'group:default/payments', 'system:default/payments'),
];

/**
 * The backend's overview pages over `components`: filtered by owner,
 * system and text, ordered by name, `limit` rows a page with cursors.
 */
function overviewPages(
  components: Entity[],
  statusesOf: (name: string) => EnvironmentStatus[],
) {
  return jest.fn(async (query: OverviewPageQuery) => {
    const { owner, system, text } = query.cursor
      ? JSON.parse(query.cursor).filters
      : query;
    const start = query.cursor ? JSON.parse(query.cursor).start : 0;
    const limit = query.limit ?? 25;
    const matching = components
      .filter(
        c =>
          (!owner || c.spec?.owner === owner) &&
          (!system || c.spec?.system === system) &&
          (!text || c.metadata.name.includes(text)),
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const cursor = (at: number) =>
      JSON.stringify({ filters: { owner, system, text }, start: at });
    return {
      rows: matching.slice(start, start + limit).map(c => ({
        ...overview(response(statusesOf(c.metadata.name))),
        entityRef: `component:default/${c.metadata.name}`,
        project: c.metadata.name,
        owner: c.spec?.owner as string,
        system: c.spec?.system as string,
      })),
      totalItems: matching.length,
      nextCursor:
        start + limit < matching.length ? cursor(start + limit) : undefined,
      prevCursor: start > 0 ? cursor(Math.max(0, start - limit)) : undefined,
    };
  });
}

function render(api: Partial<AwsEnvironmentsApi>, me = 'user:default/bob') {
  const catalogApi = catalogApiMock({ entities: COMPONENTS });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsEnvironmentsApiRef, api],
        [catalogApiRef, catalogApi],
        [configApiRef, config],
        [identityApiRef, mockApis.identity({ userEntityRef: me })],
      ]}
    >
      <EnvironmentStatusPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** What the fixture's ECS service runs in every environment. */
const RUNNING_IMAGE = 'public.ecr.aws/docker/library/python:3.12-slim';

function baseApi(
  overrides: Partial<AwsEnvironmentsApi> = {},
  statusesOf = (name: string) =>
    name === 'devops-app'
      ? [environment('test', 0), environment('qa', 1, { health: 'unhealthy' })]
      : [environment('test', 0)],
) {
  return {
    getOverviewPage: overviewPages(COMPONENTS, statusesOf),
    getPromotionSummary: jest.fn(async () => ({
      'component:default/devops-app': {
        qa: {
          pending: pending('user:default/alice'),
          lastFailed: {
            ...pending('user:default/carol'),
            id: 'p9',
            image: 'registry.example.com/app:1.2.3',
            status: 'failed' as const,
            finishedAt: '2026-11-25T11:30:00Z',
            failureReason: 'AppTaskDef UPDATE_FAILED: image manifest not found',
          },
        },
        test: {
          lastSucceeded: {
            promotionId: 'p0',
            image: RUNNING_IMAGE,
            at: '2026-11-25T11:00:00Z',
            requestedBy: 'user:default/alice',
          },
        },
      },
    })),
    approvePromotion: jest.fn(async () => pending('user:default/alice')),
    rejectPromotion: jest.fn(),
    createPromotion: jest.fn(async () => pending('user:default/bob')),
    ...overrides,
  };
}

describe('EnvironmentStatusPage', () => {
  it('shows services as rows and environments as columns in promotion order', async () => {
    await render(baseApi());
    const row = (await screen.findByText('devops-app')).closest('tr')!;
    const cells = within(row).getAllByTestId(/^cell-/);
    expect(cells.map(c => c.getAttribute('data-testid'))).toEqual([
      'cell-test',
      'cell-qa',
    ]);
    expect(within(cells[0]).getByTestId('health-healthy')).toBeInTheDocument();
    expect(
      within(cells[1]).getByTestId('health-unhealthy'),
    ).toBeInTheDocument();
    expect(within(cells[0]).getByText('3.12-slim')).toBeInTheDocument();
    expect(within(cells[1]).getByTestId('pending-qa')).toHaveTextContent(
      'pending review: 1.2.4 from test',
    );
    // The last failed promotion into qa, with CloudFormation's reason.
    expect(within(cells[1]).getByTestId('failed-qa')).toHaveTextContent(
      'Promotion of 1.2.3 failed: AppTaskDef UPDATE_FAILED: image manifest not found',
    );
    // billing has no qa environment: no promote button, "not provisioned".
    const billing = screen.getByText('billing').closest('tr')!;
    expect(within(billing).getByText('not provisioned')).toBeInTheDocument();
  });

  it('still shows health and images when promotions cannot be read', async () => {
    await render(
      baseApi({
        getPromotionSummary: jest.fn(async () => {
          throw new Error('promotions are down');
        }),
      }),
    );
    expect(await screen.findByText('promotions are down')).toBeInTheDocument();
    const row = screen.getByText('devops-app').closest('tr')!;
    expect(within(row).getAllByTestId(/^cell-/)).toHaveLength(2);
  });

  it('reads one page of services in one request, and pages with the backend’s cursors', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      component(
        `svc-${String(i).padStart(2, '0')}`,
        'group:default/devops-team',
        'system:default/devops',
      ),
    );
    const api = {
      ...baseApi(),
      getOverviewPage: overviewPages(many, () => [environment('test', 0)]),
    };
    await render(api);
    expect(await screen.findByText('svc-00')).toBeInTheDocument();
    expect(screen.getByText('svc-24')).toBeInTheDocument();
    expect(screen.queryByText('svc-25')).not.toBeInTheDocument();
    expect(screen.getByTestId('grid-pages')).toHaveTextContent(
      '25 of 30 services',
    );
    expect(api.getOverviewPage).toHaveBeenCalledTimes(1);
    expect(api.getOverviewPage).toHaveBeenCalledWith({ limit: 25 });

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('svc-29')).toBeInTheDocument();
    expect(screen.queryByText('svc-00')).not.toBeInTheDocument();
    expect(api.getOverviewPage).toHaveBeenLastCalledWith({
      cursor: expect.any(String),
      limit: 25,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('svc-00')).toBeInTheDocument();
    // 25 rows of cells render slowly in jsdom on a loaded machine.
  }, 60_000);

  it('sends the search text to the backend', async () => {
    const api = baseApi();
    await render(api);
    await screen.findByText('billing');
    await userEvent.type(screen.getByLabelText('Search services'), 'bill');
    await waitFor(() =>
      expect(screen.queryByText('devops-app')).not.toBeInTheDocument(),
    );
    expect(api.getOverviewPage).toHaveBeenLastCalledWith({
      text: 'bill',
      limit: 25,
    });
  });

  it('filters by owner', async () => {
    await render(baseApi());
    await screen.findByText('billing');
    await userEvent.click(screen.getByLabelText('Owner'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'payments' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('devops-app')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('billing')).toBeInTheDocument();
  });

  it('filters by system', async () => {
    const api = baseApi();
    await render(api);
    await screen.findByText('billing');
    await userEvent.click(screen.getByLabelText('System'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'devops' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('billing')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('devops-app')).toBeInTheDocument();
    expect(api.getPromotionSummary).toHaveBeenLastCalledWith([
      'component:default/devops-app',
    ]);

    await userEvent.click(screen.getByLabelText('System'));
    await userEvent.click(await screen.findByRole('option', { name: 'All' }));
    expect(await screen.findByText('billing')).toBeInTheDocument();
  });

  it('lets a reviewer approve a pending promotion', async () => {
    const api = baseApi();
    await render(api, 'user:default/bob');
    const cell = await screen.findByTestId('cell-qa');
    await userEvent.click(
      within(cell).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(api.approvePromotion).toHaveBeenCalledWith('p1'),
    );
  });

  it('does not offer approval to the requester', async () => {
    await render(baseApi(), 'user:default/alice');
    const cell = await screen.findByTestId('cell-qa');
    expect(
      within(cell).getByRole('button', { name: 'Approve' }),
    ).toBeDisabled();
  });

  it('requests a promotion of the running image to the next environment', async () => {
    const api = baseApi();
    await render(api);
    const row = (await screen.findByText('devops-app')).closest('tr')!;
    await userEvent.click(
      within(within(row).getByTestId('cell-test')).getByRole('button', {
        name: /Promote to QA/,
      }),
    );
    await waitFor(() =>
      expect(api.createPromotion).toHaveBeenCalledWith({
        entityRef: 'component:default/devops-app',
        from: 'test',
        to: 'qa',
        image: RUNNING_IMAGE,
      }),
    );
  });

  it('credits the promotion that delivered the running image, and opens its history', async () => {
    const api = baseApi({
      getPromotion: jest.fn(async () => ({
        ...pending('user:default/alice'),
        id: 'p0',
        status: 'succeeded' as const,
        events: [
          {
            id: 1,
            promotionId: 'p0',
            at: '2026-11-25T11:00:00Z',
            actor: 'user:default/alice',
            action: 'succeeded' as const,
            fromStatus: 'deploying' as const,
            toStatus: 'succeeded' as const,
            message: 'stack devops-app-test UPDATE_COMPLETE',
          },
        ],
      })),
    });
    await render(api);
    const row = (await screen.findByText('devops-app')).closest('tr')!;
    const deployed = within(row).getByTestId('deployed-test');
    expect(deployed).toHaveTextContent(
      `deployed ${new Date(
        '2026-11-25T11:00:00Z',
      ).toLocaleString()} by promotion`,
    );
    await userEvent.click(
      within(deployed).getByRole('button', { name: 'promotion' }),
    );
    expect(api.getPromotion).toHaveBeenCalledWith('p0');
    expect(
      await screen.findByText('stack devops-app-test UPDATE_COMPLETE'),
    ).toBeInTheDocument();
  });

  it('does not credit a promotion when another image was deployed since', async () => {
    // The template wizard redeployed test after the promotion landed.
    const redeployed = environment('test', 0);
    redeployed.service!.image = 'registry.example.com/app:2.0.0';
    redeployed.service!.deployments[0].createdAt = '2026-11-25T11:45:00Z';
    await render(baseApi({}, () => [redeployed]));
    const row = (await screen.findByText('devops-app')).closest('tr')!;
    const deployed = within(row).getByTestId('deployed-test');
    expect(deployed).toHaveTextContent(
      `deployed ${new Date('2026-11-25T11:45:00Z').toLocaleString()}`,
    );
    expect(deployed).not.toHaveTextContent('promotion');
    expect(within(row).getByText('2.0.0')).toBeInTheDocument();
  });
});
