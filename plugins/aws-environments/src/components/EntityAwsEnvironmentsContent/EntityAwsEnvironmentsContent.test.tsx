import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { AwsEnvironmentsApi, awsEnvironmentsApiRef } from '../../api';
import { deliveryMetrics } from '../../__fixtures__/deliveryMetrics';
import { EnvironmentStatus } from '@envplane/plugin-aws-environments-common';
import { environment, overview, response } from '../../__fixtures__/status';
import { entityCost, entityDrift } from '../../__fixtures__/costAndDrift';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityAwsEnvironmentsContent } from './EntityAwsEnvironmentsContent';

const annotated: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'devops-app',
    annotations: { 'aws-environments.io/project': 'devops-app' },
  },
  spec: { type: 'service', owner: 'devops-team', lifecycle: 'production' },
};

function render(
  api: Partial<AwsEnvironmentsApi>,
  entity: Entity = annotated,
  config = mockApis.config(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          awsEnvironmentsApiRef,
          {
            getDeliveryMetrics: async (ref: string, days: number) =>
              deliveryMetrics(ref, days),
            ...api,
          },
        ],
        [configApiRef, config],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityAwsEnvironmentsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/**
 * A backend whose overview summarises `statuses`, and whose details and
 * logs answer from the same statuses, counting every call.
 */
function backend(statuses: EnvironmentStatus[], drifted: string[] = []) {
  const byName = new Map(statuses.map(s => [s.name, s]));
  const names = statuses.map(s => s.name);
  return {
    getEntityCost: jest.fn(async () => entityCost(names)),
    getDrift: jest.fn(async () => entityDrift(names, drifted)),
    getEntityOverview: jest.fn(async () => {
      const row = overview(response(statuses));
      return {
        ...row,
        environments: row.environments.map(e => ({
          ...e,
          drift: {
            status: drifted.includes(e.name)
              ? ('drifted' as const)
              : ('in_sync' as const),
            driftedResourceCount: drifted.includes(e.name) ? 1 : 0,
            checkedAt: '2026-12-01T08:30:00.000Z',
          },
        })),
      };
    }),
    getStatus: jest.fn(async ({ environment: name, range }: any) => ({
      ...response(
        statuses
          .filter(s => s.name === name)
          .map(s => ({ ...s, logs: undefined })),
      ),
      range,
    })),
    getLogs: jest.fn(async ({ environment: name, range }: any) => ({
      entityRef: 'component:default/devops-app',
      range,
      name,
      logs: byName.get(name)?.logs ?? [],
      fetchedAt: '2026-11-25T12:00:00Z',
    })),
  };
}

async function openDetails(title: string) {
  await userEvent.click(
    await screen.findByRole('button', { name: `Show details of ${title}` }),
  );
}

// Opening details renders tables and charts; on a loaded two-core machine
// a test that opens several can take longer than Jest's default.
jest.setTimeout(60_000);

describe('EntityAwsEnvironmentsContent', () => {
  it('explains the annotation when the entity lacks it', async () => {
    const api = backend([]);
    await render(api, { ...annotated, metadata: { name: 'plain' } });
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws-environments.io\/project/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntityOverview).not.toHaveBeenCalled();
  });

  it('shows progress while loading', async () => {
    await render({ getEntityOverview: () => new Promise(() => {}) });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the backend refuses', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'entity not found' },
          request: { method: 'GET', url: '/' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ) as any,
    );
    await render({ getEntityOverview: () => Promise.reject(error) });
    expect(
      (await screen.findAllByText(/entity not found/)).length,
    ).toBeGreaterThan(0);
  });

  it('says so when no environment is configured for the entity, or why none is shown', async () => {
    await render(backend([]));
    expect(await screen.findByText('No environments')).toBeInTheDocument();
  });

  it('says why no environment is shown when the backend refuses them', async () => {
    await render({
      getEntityOverview: async () => ({
        entityRef: 'component:default/devops-app',
        project: '',
        environments: [],
        error:
          'You may not read the AWS environments of component:default/devops-app',
      }),
    });
    expect(
      await screen.findByText(/You may not read the AWS environments/),
    ).toBeInTheDocument();
  });

  it('opens with every environment side by side in promotion order, reading no details', async () => {
    const qa = environment('qa', 1);
    qa.service!.image = 'registry.example.com/app:2.0.0';
    const api = backend([environment('test', 0), qa]);
    await render(api);

    const cards = await screen.findAllByTestId(/^overview-/);
    expect(cards.map(c => c.getAttribute('data-testid'))).toEqual([
      'overview-test',
      'overview-qa',
    ]);
    expect(screen.getAllByTestId('health-healthy')).toHaveLength(2);
    expect(screen.getByTestId('tasks-test')).toHaveTextContent(
      '2 of 2 running',
    );
    expect(screen.getByTestId('image-qa')).toHaveTextContent('2.0.0');
    expect(screen.queryByTestId(/^environment-/)).not.toBeInTheDocument();
    expect(api.getStatus).not.toHaveBeenCalled();
    expect(api.getLogs).not.toHaveBeenCalled();
  });

  it('reads one environment’s details when opened, and its logs only when their panel opens', async () => {
    const api = backend([environment('test', 0), environment('qa', 1)]);
    await render(api);
    await openDetails('QA');

    const qa = await screen.findByTestId('environment-qa');
    expect(within(qa).getAllByText('aaaa1111').length).toBeGreaterThan(0);
    expect(
      within(qa).getByText('/devops-app/qa/app-secret'),
    ).toBeInTheDocument();
    expect(
      within(qa).getByTestId('chart-CPU and memory utilization'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('environment-test')).not.toBeInTheDocument();
    expect(api.getStatus).toHaveBeenCalledTimes(1);
    expect(api.getStatus).toHaveBeenCalledWith({
      entity: { kind: 'Component', namespace: 'default', name: 'devops-app' },
      environment: 'qa',
      range: '1h',
      logs: false,
    });
    expect(api.getLogs).not.toHaveBeenCalled();
    expect(within(qa).queryByTestId('logs')).not.toBeInTheDocument();

    await userEvent.click(within(qa).getByText('Recent logs'));
    expect(await within(qa).findByTestId('logs')).toHaveTextContent('aaaa1111');
    expect(api.getLogs).toHaveBeenCalledWith({
      entity: { kind: 'Component', namespace: 'default', name: 'devops-app' },
      environment: 'qa',
      range: '1h',
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Hide details of QA' }),
    );
    await waitFor(() =>
      expect(screen.queryByTestId('environment-qa')).not.toBeInTheDocument(),
    );
  });

  it('shows what the open environment costs as configured and whether its stack drifted', async () => {
    const api = backend([environment('test', 0), environment('qa', 1)], ['qa']);
    await render(api);
    expect(await screen.findByTestId('drift-qa')).toHaveTextContent(
      'Drifted: 1 resource',
    );
    expect(screen.getByTestId('drift-test')).toHaveTextContent('In sync');
    await openDetails('QA');
    const cost = await screen.findByTestId('cost-qa');
    expect(cost).toHaveTextContent('$131.50');
    expect(cost).toHaveTextContent('from $123.40 (1) to $199.90 (10)');
    expect(cost).toHaveTextContent(
      'An estimate from on-demand list prices of 2026-12-01',
    );
    const driftCard = await screen.findByTestId('environment-drift-qa');
    expect(driftCard).toHaveTextContent(/Drifted: 1 resource/);
    expect(driftCard).toHaveTextContent('/DesiredCount');
    expect(api.getEntityCost).toHaveBeenCalledTimes(1);

    await openDetails('TEST');
    expect(await screen.findByTestId('cost-test')).toBeInTheDocument();
    expect(
      await screen.findByTestId('environment-drift-test'),
    ).toHaveTextContent('In sync');
  });

  it('shows the top finding on the overview and the stopped tasks in the details; a source error stays in its environment', async () => {
    const crashing = environment('qa', 1, {
      health: 'unhealthy',
      findings: [
        {
          id: 'crash-looping',
          severity: 'error',
          title: 'Tasks are crash-looping',
          message: '3 tasks stopped with exit code 1 in the last 15 minutes',
          source: 'ecs',
        },
      ],
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/c/bbbb2222',
          taskId: 'bbbb2222',
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stoppedReason: 'Essential container in task exited',
          stopCode: 'EssentialContainerExited',
          containers: [{ name: 'app', exitCode: 1 }],
        },
      ],
    });
    const throttled = environment('test', 0, {
      parameters: [],
      errors: [{ type: 'THROTTLED', source: 'ssm', message: 'Rate exceeded' }],
    });
    await render(backend([throttled, crashing]));

    const qaCard = await screen.findByTestId('overview-qa');
    expect(
      within(qaCard).getByTestId('finding-crash-looping'),
    ).toHaveTextContent('Tasks are crash-looping');
    expect(within(qaCard).getByTestId('health-unhealthy')).toHaveTextContent(
      'Unhealthy',
    );
    expect(screen.getByTestId('overview-test')).toHaveTextContent(
      'Could not read ssm',
    );
    expect(qaCard).not.toHaveTextContent('Could not read');

    await openDetails('QA');
    const qa = await screen.findByTestId('environment-qa');
    expect(
      within(qa).getByText('Essential container in task exited'),
    ).toBeInTheDocument();
    expect(within(qa).getByText('app: 1')).toBeInTheDocument();
    expect(qa).not.toHaveTextContent(/throttled/i);

    await openDetails('TEST');
    const test = await screen.findByTestId('environment-test');
    expect(test).toHaveTextContent(/throttled/i);
  });

  it('reads the details again for another range, and everything on refresh', async () => {
    const api = backend([environment('test', 0)]);
    await render(api);
    await openDetails('TEST');
    await screen.findByTestId('environment-test');

    await userEvent.click(screen.getByRole('button', { name: '24h' }));
    await waitFor(() =>
      expect(api.getStatus).toHaveBeenLastCalledWith(
        expect.objectContaining({ range: '24h', environment: 'test' }),
      ),
    );
    const details = api.getStatus.mock.calls.length;
    const overviews = api.getEntityOverview.mock.calls.length;
    await userEvent.click(screen.getByRole('button', { name: /refresh/i }));
    await waitFor(() => {
      expect(api.getStatus.mock.calls.length).toBeGreaterThan(details);
      expect(api.getEntityOverview.mock.calls.length).toBeGreaterThan(
        overviews,
      );
    });
  });

  it('shows an environment that could not be read at all as unknown, with its error, and nothing presented as empty', async () => {
    const denied = {
      type: 'ACCESS_DENIED' as const,
      message: 'User is not authorized to perform: sts:AssumeRole',
    };
    const unreadable = environment('prod', 1, {
      health: 'unknown',
      service: undefined,
      tasks: [],
      parameters: [],
      metrics: undefined,
      logs: undefined,
      error: { ...denied, source: 'ecs' },
      errors: [
        { ...denied, source: 'ecs' },
        { ...denied, source: 'ssm' },
      ],
    });
    await render(backend([environment('test', 0), unreadable]));

    const card = await screen.findByTestId('overview-prod');
    expect(within(card).getByTestId('health-unknown')).toHaveTextContent(
      'Unknown',
    );
    expect(card).toHaveTextContent('Could not read ecs, ssm');
    expect(within(card).getByTestId('tasks-prod')).toHaveTextContent('—');

    await openDetails('PROD');
    const prod = await screen.findByTestId('environment-prod');
    expect(within(prod).getByTestId('source-error-ecs')).toHaveTextContent(
      'ECS: Access denied. User is not authorized to perform: sts:AssumeRole',
    );
    expect(within(prod).queryByText(/Parameters \(/)).not.toBeInTheDocument();
    expect(within(prod).queryByText('aaaa1111')).not.toBeInTheDocument();
    expect(within(prod).queryByTestId(/^chart-/)).not.toBeInTheDocument();
  });

  it('says so when the range has no metric data and no log events', async () => {
    const quiet = environment('test', 0);
    quiet.metrics = quiet.metrics!.map(m => ({ ...m, points: [] }));
    quiet.logs = [];
    await render(backend([quiet]));
    await openDetails('TEST');

    const section = await screen.findByTestId('environment-test');
    expect(
      within(section).getByText('No metric data in this range.'),
    ).toBeInTheDocument();
    expect(within(section).queryByTestId(/^chart-/)).not.toBeInTheDocument();
    await userEvent.click(within(section).getByText('Recent logs'));
    expect(
      await within(section).findByText('No log events in this range.'),
    ).toBeInTheDocument();
    expect(within(section).queryByTestId('logs')).not.toBeInTheDocument();
  });

  it('shows the project’s delivery metrics and reads them again for another window', async () => {
    const getDeliveryMetrics = jest.fn(async (ref: string, days: number) =>
      deliveryMetrics(ref, days),
    );
    await render({ ...backend([environment('test', 0)]), getDeliveryMetrics });

    const card = await screen.findByTestId('delivery-metrics-devops-app');
    const qa = within(card).getByText('qa').closest('tr')!;
    expect(qa).toHaveTextContent('4 (0.9/week)');
    expect(qa).toHaveTextContent('25 % of 4');
    expect(qa).toHaveTextContent('42 min');
    const staging = within(card).getByText('staging').closest('tr')!;
    expect(staging).toHaveTextContent('50 % of 2, 1 rolled back');
    expect(within(card).getByTestId('lead-time')).toHaveTextContent(
      'Lead time test → prod: 5.5 h median over 1 image',
    );
    expect(getDeliveryMetrics).toHaveBeenCalledWith(
      'component:default/devops-app',
      30,
    );

    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() =>
      expect(getDeliveryMetrics).toHaveBeenLastCalledWith(
        'component:default/devops-app',
        7,
      ),
    );
  });

  describe('auto refresh', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const advance = (ms: number) =>
      act(() => jest.advanceTimersByTimeAsync(ms));

    it('reads the overview again every minute by default', async () => {
      const api = backend([environment('test', 0)]);
      await render(api);
      expect(
        await screen.findByText(/refreshes every 60 s/),
      ).toBeInTheDocument();
      expect(api.getEntityOverview).toHaveBeenCalledTimes(1);

      await advance(59_000);
      expect(api.getEntityOverview).toHaveBeenCalledTimes(1);
      await advance(1_000);
      expect(api.getEntityOverview).toHaveBeenCalledTimes(2);
      await advance(60_000);
      expect(api.getEntityOverview).toHaveBeenCalledTimes(3);
    });

    it('follows awsEnvironments.status.refreshIntervalSeconds', async () => {
      const api = backend([environment('test', 0)]);
      await render(
        api,
        annotated,
        mockApis.config({
          data: { awsEnvironments: { status: { refreshIntervalSeconds: 20 } } },
        }),
      );
      expect(
        await screen.findByText(/refreshes every 20 s/),
      ).toBeInTheDocument();

      await advance(20_000);
      expect(api.getEntityOverview).toHaveBeenCalledTimes(2);
      await advance(20_000);
      expect(api.getEntityOverview).toHaveBeenCalledTimes(3);
    });

    it('does not stack reads while the backend is slow', async () => {
      let answer: () => void = () => {};
      const first = overview(response([environment('test', 0)]));
      const getEntityOverview = jest
        .fn()
        .mockResolvedValueOnce(first)
        .mockImplementation(
          () =>
            new Promise(resolve => {
              answer = () => resolve(first);
            }),
        );
      await render({ getEntityOverview });
      await screen.findByTestId('overview-test');

      await advance(60_000);
      expect(getEntityOverview).toHaveBeenCalledTimes(2);
      // The second read is still out: no third one however long it takes.
      await advance(300_000);
      expect(getEntityOverview).toHaveBeenCalledTimes(2);
      await act(async () => answer());
      await advance(60_000);
      expect(getEntityOverview).toHaveBeenCalledTimes(3);
    });
  });
});
