import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { configApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EnvironmentPromotionSummary,
  PromotionDetails,
  PromotionRequest,
  PromotionStatus,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi, awsEnvironmentsApiRef } from '../../api';
import { promotionConfigData } from '../../__fixtures__/config';
import { environment, overview, response } from '../../__fixtures__/status';
import { EnvironmentStatusGrid } from './EnvironmentStatusGrid';

const OLD = 'registry.example.com/app:1.0.0';
const NEW = 'registry.example.com/app:1.1.0';
const REF = 'component:default/devops-app';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'devops-app',
    namespace: 'default',
    annotations: { 'aws-environments.io/project': 'devops-app' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'devops-team' },
};

const config = mockApis.config({ data: promotionConfigData });

function request(status: PromotionStatus): PromotionRequest {
  return {
    id: 'p1',
    entityRef: REF,
    project: 'devops-app',
    from: 'test',
    to: 'qa',
    kind: 'promotion',
    image: NEW,
    status,
    trigger: 'manual',
    requestedBy: 'user:default/alice',
    reviewRequired: true,
    createdAt: '2026-11-25T12:00:00Z',
    updatedAt: '2026-11-25T12:00:00Z',
  };
}

const landed: EnvironmentPromotionSummary = {
  lastSucceeded: {
    promotionId: 'p1',
    image: NEW,
    at: '2026-11-25T12:05:00Z',
    requestedBy: 'user:default/alice',
  },
};

/** A backend whose qa runs `images[n]` on the n-th status read (the last one after). */
function backend(options: {
  summaries: EnvironmentPromotionSummary[];
  qaImages: string[];
}) {
  let summaries = 0;
  let reads = 0;
  const at = <T,>(list: T[], i: number) => list[Math.min(i, list.length - 1)];
  const qa = (image: string) => {
    const env = environment('qa', 1);
    env.service!.image = image;
    return env;
  };
  return {
    getEntityOverview: jest.fn(async () =>
      overview(
        response([environment('test', 0), qa(at(options.qaImages, reads++))]),
      ),
    ),
    getPromotionSummary: jest.fn(async () => ({
      [REF]: { qa: at(options.summaries, summaries++) },
    })),
  } satisfies Partial<AwsEnvironmentsApi>;
}

function render(api: Partial<AwsEnvironmentsApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsEnvironmentsApiRef, api],
        [configApiRef, config],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/bob' }),
        ],
      ]}
    >
      <EnvironmentStatusGrid entities={[entity]} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const advance = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));

describe('EnvironmentStatusGrid polling', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows a deployment finish without a reload, then stops polling', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }, landed],
      qaImages: [OLD, NEW],
    });
    await render(api);
    const cell = await screen.findByTestId('cell-qa');
    expect(within(cell).getByTestId('pending-qa')).toHaveTextContent(
      'deploying: 1.1.0 from test',
    );
    expect(within(cell).getByText('1.0.0')).toBeInTheDocument();

    await advance(5_000);
    await waitFor(() =>
      expect(screen.queryByTestId('pending-qa')).not.toBeInTheDocument(),
    );
    expect(
      within(screen.getByTestId('cell-qa')).getByText('1.1.0'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('deployed-qa')).toHaveTextContent('by promotion');

    const summaryCalls = api.getPromotionSummary.mock.calls.length;
    const statusCalls = api.getEntityOverview.mock.calls.length;
    await advance(60_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(summaryCalls);
    expect(api.getEntityOverview).toHaveBeenCalledTimes(statusCalls);
  });

  it('keeps reading the status after a success until the cached old image gives way', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }, landed],
      // Initial read, then two reads the backend serves from its cache.
      qaImages: [OLD, OLD, OLD, NEW],
    });
    await render(api);
    await screen.findByTestId('cell-qa');

    await advance(5_000);
    await waitFor(() =>
      expect(screen.queryByTestId('pending-qa')).not.toBeInTheDocument(),
    );
    expect(
      within(screen.getByTestId('cell-qa')).getByText('1.0.0'),
    ).toBeInTheDocument();

    await advance(5_000);
    await advance(5_000);
    await waitFor(() =>
      expect(
        within(screen.getByTestId('cell-qa')).getByText('1.1.0'),
      ).toBeInTheDocument(),
    );
    expect(api.getEntityOverview).toHaveBeenCalledTimes(4);

    await advance(60_000);
    expect(api.getEntityOverview).toHaveBeenCalledTimes(4);
  });

  it('checks a request waiting for review less often, and only its summary', async () => {
    const api = backend({
      summaries: [{ pending: request('pending_review') }],
      qaImages: [OLD],
    });
    await render(api);
    await screen.findByTestId('pending-qa');
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(1);

    await advance(5_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(1);
    await advance(10_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(2);
    await advance(15_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(3);
    // Nothing moved, so no status was read again.
    expect(api.getEntityOverview).toHaveBeenCalledTimes(1);
  });

  it('picks up an approval made elsewhere and then polls at the faster pace', async () => {
    const api = backend({
      summaries: [
        { pending: request('pending_review') },
        { pending: request('approved') },
        { pending: request('deploying') },
      ],
      qaImages: [OLD],
    });
    await render(api);
    await screen.findByTestId('pending-qa');

    await advance(15_000);
    await waitFor(() =>
      expect(screen.getByTestId('pending-qa')).toHaveTextContent(
        'approved: 1.1.0 from test',
      ),
    );
    await advance(5_000);
    await waitFor(() =>
      expect(screen.getByTestId('pending-qa')).toHaveTextContent(
        'deploying: 1.1.0 from test',
      ),
    );
  });

  it('does not poll when no request is open', async () => {
    const api = backend({ summaries: [landed], qaImages: [NEW] });
    await render(api);
    await screen.findByTestId('cell-qa');
    await advance(120_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(1);
    expect(api.getEntityOverview).toHaveBeenCalledTimes(1);
  });

  it('stops polling on unmount', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }],
      qaImages: [OLD],
    });
    const { unmount } = await render(api);
    await screen.findByTestId('pending-qa');
    await advance(5_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(2);

    unmount();
    await advance(60_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(2);
  });

  it('follows an open request in its history dialog until it is done', async () => {
    const details = (status: PromotionStatus): PromotionDetails => ({
      ...request(status),
      events: [
        {
          id: 1,
          promotionId: 'p1',
          at: '2026-11-25T12:00:00Z',
          actor: 'user:default/alice',
          action: 'requested',
          toStatus: 'approved',
        },
        ...(status === 'succeeded'
          ? [
              {
                id: 2,
                promotionId: 'p1',
                at: '2026-11-25T12:05:00Z',
                actor: 'system:aws-environments',
                action: 'succeeded' as const,
                fromStatus: 'deploying' as const,
                toStatus: 'succeeded' as const,
                message: 'stack devops-app-qa UPDATE_COMPLETE',
              },
            ]
          : []),
      ],
    });
    const getPromotion = jest
      .fn()
      .mockResolvedValueOnce(details('deploying'))
      .mockResolvedValue(details('succeeded'));
    const api = {
      ...backend({
        // The grid itself keeps seeing it deploying; only the dialog is
        // under test here.
        summaries: [{ pending: request('deploying') }],
        qaImages: [OLD],
      }),
      getPromotion,
    };
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    await render(api);
    await user.click(await screen.findByTestId('pending-qa'));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText(/deploying$/);
    expect(
      within(dialog).queryByText('stack devops-app-qa UPDATE_COMPLETE'),
    ).not.toBeInTheDocument();

    await advance(5_000);
    expect(
      await within(dialog).findByText('stack devops-app-qa UPDATE_COMPLETE'),
    ).toBeInTheDocument();
    expect(getPromotion).toHaveBeenCalledTimes(2);

    await advance(60_000);
    expect(getPromotion).toHaveBeenCalledTimes(2);
  });

  it('follows a request waiting for review in its history dialog at the review pace', async () => {
    const getPromotion = jest.fn(
      async (): Promise<PromotionDetails> => ({
        ...request('pending_review'),
        events: [],
      }),
    );
    const api = {
      ...backend({
        summaries: [{ pending: request('pending_review') }],
        qaImages: [OLD],
      }),
      getPromotion,
    };
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    await render(api);
    await user.click(await screen.findByTestId('pending-qa'));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText(/pending review$/);
    expect(getPromotion).toHaveBeenCalledTimes(1);

    await advance(5_000);
    expect(getPromotion).toHaveBeenCalledTimes(1);
    await advance(10_000);
    expect(getPromotion).toHaveBeenCalledTimes(2);
    await advance(15_000);
    expect(getPromotion).toHaveBeenCalledTimes(3);
  });

  it('backs off while the summary cannot be read, and recovers its pace', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }],
      qaImages: [OLD],
    });
    api.getPromotionSummary
      .mockImplementationOnce(async () => ({
        [REF]: { qa: { pending: request('deploying') } },
      }))
      .mockRejectedValueOnce(new Error('summary unavailable'))
      .mockRejectedValueOnce(new Error('summary unavailable'))
      .mockRejectedValueOnce(new Error('summary unavailable'));
    await render(api);
    await screen.findByTestId('pending-qa');
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(1);

    // Fails at 5 s, then waits 10 s, 20 s, 40 s.
    await advance(5_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(2);
    expect(
      await screen.findByText(/Promotions could not be read/),
    ).toBeInTheDocument();
    // What was shown stays.
    expect(screen.getByTestId('pending-qa')).toHaveTextContent(
      'deploying: 1.1.0 from test',
    );
    await advance(9_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(2);
    await advance(1_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(3);
    await advance(19_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(3);
    await advance(1_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(4);
    await advance(39_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(4);
    await advance(1_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(5);

    // Read again: the warning goes and the pace is back to 5 s.
    await waitFor(() =>
      expect(
        screen.queryByText(/Promotions could not be read/),
      ).not.toBeInTheDocument(),
    );
    await advance(5_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(6);
  });

  it('caps the backoff', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }],
      qaImages: [OLD],
    });
    await render(api);
    await screen.findByTestId('pending-qa');
    api.getPromotionSummary.mockRejectedValue(new Error('summary unavailable'));

    // After 5, 10, 20 and 40 s, then every 60 s.
    for (const wait of [5_000, 10_000, 20_000, 40_000]) {
      await advance(wait);
    }
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(5);
    await advance(59_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(5);
    await advance(1_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(6);
    await advance(60_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(7);
  });

  it('keeps polling after a poll throws', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }, landed],
      qaImages: [OLD, NEW],
    });
    await render(api);
    await screen.findByTestId('pending-qa');
    // A malformed answer makes the poll itself throw.
    api.getPromotionSummary.mockResolvedValueOnce(
      null as unknown as Awaited<ReturnType<typeof api.getPromotionSummary>>,
    );

    await advance(5_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(2);
    expect(
      await screen.findByText(/Promotions could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('pending-qa')).toBeInTheDocument();

    // Backed off to 10 s, then the deployment's finish shows.
    await advance(10_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(3);
    await waitFor(() =>
      expect(screen.queryByTestId('pending-qa')).not.toBeInTheDocument(),
    );
    expect(
      within(screen.getByTestId('cell-qa')).getByText('1.1.0'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Promotions could not be read/),
    ).not.toBeInTheDocument();
  });

  it('still reads a settling entity while the summary cannot be read', async () => {
    const api = backend({
      summaries: [{ pending: request('deploying') }, landed],
      qaImages: [OLD, OLD, NEW],
    });
    await render(api);
    await screen.findByTestId('pending-qa');
    await advance(5_000);
    await waitFor(() =>
      expect(screen.queryByTestId('pending-qa')).not.toBeInTheDocument(),
    );
    expect(api.getEntityOverview).toHaveBeenCalledTimes(2);

    api.getPromotionSummary.mockRejectedValue(new Error('summary unavailable'));
    await advance(5_000);
    await waitFor(() =>
      expect(
        within(screen.getByTestId('cell-qa')).getByText('1.1.0'),
      ).toBeInTheDocument(),
    );
    expect(api.getEntityOverview).toHaveBeenCalledTimes(3);
    // Settled and nothing open: polling stops.
    await advance(120_000);
    expect(api.getPromotionSummary).toHaveBeenCalledTimes(3);
  });
});

describe('EnvironmentStatusGrid links', () => {
  it('opens the entity’s Environments tab from a cell’s health', async () => {
    await render(backend({ summaries: [{}], qaImages: [OLD] }));
    const cell = await screen.findByTestId('cell-qa');
    expect(
      within(cell).getByTestId('health-healthy').closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/devops-app/environments',
    );
  });

  it('links an owner written as a bare group name', async () => {
    // spec.owner is "devops-team": a string ref without kind used to throw
    // inside EntityRefLink and take the whole grid down.
    await render(backend({ summaries: [{}], qaImages: [OLD] }));
    expect(
      (await screen.findByText('devops-team')).closest('a'),
    ).toHaveAttribute('href', '/catalog/default/group/devops-team');
  });
});

describe('EnvironmentStatusGrid rollback', () => {
  const rollbackTo = {
    image: OLD,
    undoes: 'p1',
    replaces: NEW,
  };

  it('offers to roll back to what ran before, and asks the backend for it by environment only', async () => {
    const api = {
      ...backend({ summaries: [{ ...landed, rollbackTo }], qaImages: [NEW] }),
      createRollback: jest.fn(async () => ({
        ...request('pending_review'),
        kind: 'rollback' as const,
        from: 'qa',
        image: OLD,
      })),
    };
    await render(api);
    const button = await screen.findByTestId('rollback-qa');
    expect(button).toHaveTextContent('Roll back to 1.0.0');
    expect(button).toHaveAttribute(
      'title',
      `Redeploys ${OLD}, which ran in qa before ${NEW}`,
    );
    // Nothing to roll back to in test.
    expect(screen.queryByTestId('rollback-test')).not.toBeInTheDocument();

    await userEvent.click(button);
    expect(api.createRollback).toHaveBeenCalledWith({
      entityRef: REF,
      environment: 'qa',
    });
    // The grid reads the summary again to show the new request.
    await waitFor(() =>
      expect(api.getPromotionSummary).toHaveBeenCalledTimes(2),
    );
  });

  it('shows an open rollback instead of the button', async () => {
    const pending = {
      ...request('pending_review'),
      kind: 'rollback' as const,
      from: 'qa',
      image: OLD,
    };
    await render(
      backend({
        summaries: [{ ...landed, rollbackTo, pending }],
        qaImages: [NEW],
      }),
    );
    expect(await screen.findByTestId('pending-qa')).toHaveTextContent(
      'pending review: roll back to 1.0.0',
    );
    expect(screen.queryByTestId('rollback-qa')).not.toBeInTheDocument();
  });
});

describe('EnvironmentStatusGrid verification gates', () => {
  it('shows why an approved request waits', async () => {
    const pending = {
      ...request('approved'),
      gate: {
        soakMinutes: 30,
        alarmNames: [],
        alarmPrefixes: ['devops-app-test-'],
        blockedBy: 'alarm devops-app-test-5xx in ALARM in test',
      },
    };
    await render(backend({ summaries: [{ pending }], qaImages: [OLD] }));
    expect(await screen.findByTestId('gate-qa')).toHaveTextContent(
      'verification held: alarm devops-app-test-5xx in ALARM in test',
    );
  });
});
