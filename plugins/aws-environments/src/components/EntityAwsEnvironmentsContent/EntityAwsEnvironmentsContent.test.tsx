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
import { environment, response } from '../../__fixtures__/status';
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
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityAwsEnvironmentsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityAwsEnvironmentsContent', () => {
  it('explains the annotation when the entity lacks it', async () => {
    const getStatus = jest.fn();
    await render(
      { getStatus },
      {
        ...annotated,
        metadata: { name: 'plain' },
      },
    );
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws-environments.io\/project/).length,
    ).toBeGreaterThan(0);
    expect(getStatus).not.toHaveBeenCalled();
  });

  it('shows progress while loading', async () => {
    await render({ getStatus: () => new Promise(() => {}) });
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
    await render({ getStatus: () => Promise.reject(error) });
    expect(
      (await screen.findAllByText(/entity not found/)).length,
    ).toBeGreaterThan(0);
  });

  it('says so when no environment is configured for the entity', async () => {
    await render({ getStatus: async () => response([]) });
    expect(await screen.findByText('No environments')).toBeInTheDocument();
  });

  it('renders each environment in promotion order with tasks, parameters and charts', async () => {
    const getStatus = jest.fn(async () =>
      response([environment('qa', 1), environment('test', 0)]),
    );
    await render({ getStatus });

    const sections = await screen.findAllByTestId(/^environment-/);
    expect(sections.map(s => s.getAttribute('data-testid'))).toEqual([
      'environment-test',
      'environment-qa',
    ]);
    expect(screen.getAllByTestId('health-healthy')).toHaveLength(2);
    expect(screen.getAllByText('aaaa1111').length).toBeGreaterThan(0);
    expect(screen.getByText('/devops-app/test/app-secret')).toBeInTheDocument();
    expect(
      screen.getAllByTestId('chart-CPU and memory utilization'),
    ).toHaveLength(2);
    expect(getStatus).toHaveBeenCalledWith({
      entity: { kind: 'Component', namespace: 'default', name: 'devops-app' },
      range: '1h',
    });
  });

  it('shows findings and stopped tasks of an unhealthy environment, and one environment’s source error in its section only', async () => {
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
    await render({ getStatus: async () => response([throttled, crashing]) });

    expect(
      await screen.findByText('Tasks are crash-looping'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('health-unhealthy')).toHaveTextContent(
      'Unhealthy',
    );
    expect(
      screen.getByText('Essential container in task exited'),
    ).toBeInTheDocument();
    expect(screen.getByText('app: 1')).toBeInTheDocument();

    const testSection = screen.getByTestId('environment-test');
    const qaSection = screen.getByTestId('environment-qa');
    expect(testSection).toHaveTextContent(/throttled/i);
    expect(qaSection).not.toHaveTextContent(/throttled/i);
    expect(qaSection).toHaveTextContent('/devops-app/qa/app-secret');
  });

  it('asks again for another range and on refresh', async () => {
    const getStatus = jest.fn(async () => response([environment('test', 0)]));
    await render({ getStatus });
    await screen.findByTestId('environment-test');

    await userEvent.click(screen.getByRole('button', { name: '24h' }));
    await waitFor(() =>
      expect(getStatus).toHaveBeenLastCalledWith(
        expect.objectContaining({ range: '24h' }),
      ),
    );
    const calls = getStatus.mock.calls.length;
    await userEvent.click(screen.getByRole('button', { name: /refresh/i }));
    await waitFor(() =>
      expect(getStatus.mock.calls.length).toBeGreaterThan(calls),
    );
  });

  it('shows an environment that could not be read at all in its section only', async () => {
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
    await render({
      getStatus: async () => response([environment('test', 0), unreadable]),
    });

    const prod = await screen.findByTestId('environment-prod');
    expect(within(prod).getByTestId('health-unknown')).toHaveTextContent(
      'Unknown',
    );
    expect(within(prod).getByTestId('source-error-ecs')).toHaveTextContent(
      'ECS: Access denied. User is not authorized to perform: sts:AssumeRole',
    );
    // Nothing that was not read is presented as empty.
    expect(within(prod).queryByText(/Parameters \(/)).not.toBeInTheDocument();
    expect(within(prod).queryByText('aaaa1111')).not.toBeInTheDocument();
    expect(within(prod).queryByText('Recent logs')).not.toBeInTheDocument();
    expect(within(prod).queryByTestId(/^chart-/)).not.toBeInTheDocument();

    const test = screen.getByTestId('environment-test');
    expect(within(test).getByTestId('health-healthy')).toBeInTheDocument();
    expect(within(test).getByText('aaaa1111')).toBeInTheDocument();
    expect(
      within(test).queryByTestId(/^source-error-/),
    ).not.toBeInTheDocument();
  });

  it('says so when the range has no metric data and no log events', async () => {
    const quiet = environment('test', 0);
    quiet.metrics = quiet.metrics!.map(m => ({ ...m, points: [] }));
    quiet.logs = [];
    await render({ getStatus: async () => response([quiet]) });

    const section = await screen.findByTestId('environment-test');
    expect(
      within(section).getByText('No metric data in this range.'),
    ).toBeInTheDocument();
    expect(within(section).queryByTestId(/^chart-/)).not.toBeInTheDocument();
    expect(
      within(section).getByText('No log events in this range.'),
    ).toBeInTheDocument();
    expect(within(section).queryByTestId('logs')).not.toBeInTheDocument();
  });

  it('shows the project’s delivery metrics and reads them again for another window', async () => {
    const getDeliveryMetrics = jest.fn(async (ref: string, days: number) =>
      deliveryMetrics(ref, days),
    );
    await render({
      getStatus: async () => response([environment('test', 0)]),
      getDeliveryMetrics,
    });

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

    it('reads the status again every minute by default', async () => {
      const getStatus = jest.fn(async () => response([environment('test', 0)]));
      await render({ getStatus });
      expect(
        await screen.findByText(/refreshes every 60 s/),
      ).toBeInTheDocument();
      expect(getStatus).toHaveBeenCalledTimes(1);

      await advance(59_000);
      expect(getStatus).toHaveBeenCalledTimes(1);
      await advance(1_000);
      expect(getStatus).toHaveBeenCalledTimes(2);
      await advance(60_000);
      expect(getStatus).toHaveBeenCalledTimes(3);
    });

    it('follows awsEnvironments.status.refreshIntervalSeconds', async () => {
      const getStatus = jest.fn(async () => response([environment('test', 0)]));
      await render(
        { getStatus },
        annotated,
        mockApis.config({
          data: { awsEnvironments: { status: { refreshIntervalSeconds: 20 } } },
        }),
      );
      expect(
        await screen.findByText(/refreshes every 20 s/),
      ).toBeInTheDocument();

      await advance(20_000);
      expect(getStatus).toHaveBeenCalledTimes(2);
      await advance(20_000);
      expect(getStatus).toHaveBeenCalledTimes(3);
    });

    it('does not stack reads while AWS is slow', async () => {
      let answer: () => void = () => {};
      const getStatus = jest
        .fn()
        .mockResolvedValueOnce(response([environment('test', 0)]))
        .mockImplementation(
          () =>
            new Promise(resolve => {
              answer = () => resolve(response([environment('test', 0)]));
            }),
        );
      await render({ getStatus });
      await screen.findByTestId('environment-test');

      await advance(60_000);
      expect(getStatus).toHaveBeenCalledTimes(2);
      // The second read is still out: no third one however long it takes.
      await advance(300_000);
      expect(getStatus).toHaveBeenCalledTimes(2);
      await act(async () => answer());
      await advance(60_000);
      expect(getStatus).toHaveBeenCalledTimes(3);
    });
  });
});
