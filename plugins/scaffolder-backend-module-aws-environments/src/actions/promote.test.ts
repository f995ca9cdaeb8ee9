import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  PromotionDetails,
  PromotionStatus,
} from '@envplane/plugin-aws-environments-common';
import {
  actionContext,
  captureLogger,
  seedConfig,
} from '../__testUtils__/fixtures';
import { createPromoteAction } from './promote';

const BASE_URL = 'http://backend.test/api/aws-environments';
const USER = 'user:default/alice';
const CREDENTIALS = mockCredentials.user(USER);

const VALID = {
  entityRef: 'component:default/devops-app',
  from: 'qa',
  to: 'staging',
};

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  403: 'Forbidden',
  409: 'Conflict',
  503: 'Service Unavailable',
};

/** A fetch double that records calls and answers from a queue of responses. */
function fakeFetch() {
  const calls: Call[] = [];
  const responses: Array<() => Response> = [];
  const fn = jest.fn(async (url: any, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = responses.shift();
    if (!next) {
      throw new Error(`unexpected request ${init?.method} ${url}`);
    }
    return next();
  });
  return {
    fetch: fn as unknown as typeof fetch,
    calls,
    reply(status: number, body: unknown) {
      responses.push(
        () =>
          new Response(JSON.stringify(body), {
            status,
            statusText: STATUS_TEXT[status] ?? '',
            headers: { 'Content-Type': 'application/json' },
          }),
      );
    },
  };
}

/** The backend's error body (MiddlewareFactory's error handler). */
function errorBody(name: string, message: string, statusCode: number) {
  return {
    error: { name, message },
    request: { method: 'POST', url: '/api/aws-environments/promotions' },
    response: { statusCode },
  };
}

function promotion(
  status: PromotionStatus,
  extra: Partial<PromotionDetails> = {},
): PromotionDetails {
  return {
    id: 'p-123',
    entityRef: 'component:default/devops-app',
    project: 'devops-app',
    from: 'qa',
    to: 'staging',
    image: 'public.ecr.aws/docker/library/python:3.12-slim',
    kind: 'promotion',
    status,
    trigger: 'manual',
    requestedBy: USER,
    reviewRequired: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    events: [],
    ...extra,
  };
}

describe('aws:environments:promote', () => {
  let http: ReturnType<typeof fakeFetch>;
  let getPluginRequestToken: jest.Mock;
  let getBaseUrl: jest.Mock;

  beforeEach(() => {
    http = fakeFetch();
    getPluginRequestToken = jest.fn(async () => ({ token: 'obo-token' }));
    getBaseUrl = jest.fn(async () => BASE_URL);
  });

  function makeAction() {
    return createPromoteAction({
      config: seedConfig(),
      auth: { getPluginRequestToken } as unknown as AuthService,
      discovery: { getBaseUrl } as unknown as DiscoveryService,
      fetch: http.fetch,
      pollIntervalMs: 1,
    });
  }

  function context(
    input: object,
    opts: { isDryRun?: boolean; signal?: AbortSignal } = {},
  ) {
    const logger = captureLogger();
    const ctx = {
      ...actionContext({ input, logger, isDryRun: opts.isDryRun }),
      getInitiatorCredentials: jest.fn(async () => CREDENTIALS),
      signal: opts.signal,
    };
    return { ctx, logger };
  }

  function outputs(ctx: { output: jest.Mock }) {
    return Object.fromEntries(ctx.output.mock.calls);
  }

  function expectNoHttpCall() {
    expect(http.calls).toHaveLength(0);
    expect(getPluginRequestToken).not.toHaveBeenCalled();
  }

  describe('rejects bad input before any HTTP call, naming the field', () => {
    it.each([
      ['entityRef', { entityRef: undefined }],
      ['entityRef', { entityRef: 'group:default/devops-team' }],
      ['entityRef', { entityRef: 'component:' }],
      ['from', { from: 'dev' }],
      ['from', { from: undefined }],
      ['to', { to: 'production' }],
      ['to', { to: 'prod' }],
      ['to', { to: 'test' }],
      ['to', { to: 'qa' }],
      ['from', { from: 'prod', to: 'prod' }],
      ['image', { image: '' }],
      ['waitForCompletion', { waitForCompletion: 'yes' }],
      ['timeoutMinutes', { timeoutMinutes: 0 }],
      ['timeoutMinutes', { timeoutMinutes: 1.5 }],
    ] as Array<[string, object]>)('%s: %j', async (field, override) => {
      const { ctx } = context({ ...VALID, ...override });
      const error = await makeAction()
        .handler(ctx as any)
        .catch(e => e);
      expect(error.message).toMatch(new RegExp(`(^|[ ;])${field}: `));
      // One line in the task log, which shows the stack.
      expect(error.stack).toBe(`InputError: ${error.message}`);
      expectNoHttpCall();
      expect(ctx.output).not.toHaveBeenCalled();
    });

    it('explains the next step of the promotion path', async () => {
      const { ctx } = context({ ...VALID, to: 'prod' });
      await expect(makeAction().handler(ctx as any)).rejects.toThrow(
        'to: "prod" is not the environment after "qa"; promotions go one step at a time, from "qa" to "staging"',
      );
    });
  });

  it('requests the promotion as the initiator and outputs its state', async () => {
    http.reply(201, promotion('pending_review'));
    const { ctx, logger } = context({
      ...VALID,
      entityRef: 'devops-app',
      image: 'public.ecr.aws/docker/library/python:3.12-slim',
    });
    await makeAction().handler(ctx as any);

    expect(getPluginRequestToken).toHaveBeenCalledWith({
      onBehalfOf: CREDENTIALS,
      targetPluginId: 'aws-environments',
    });
    expect(getBaseUrl).toHaveBeenCalledWith('aws-environments');
    expect(http.calls).toEqual([
      {
        url: `${BASE_URL}/promotions`,
        method: 'POST',
        headers: expect.objectContaining({
          Authorization: 'Bearer obo-token',
          'Content-Type': 'application/json',
        }),
        body: {
          entityRef: 'component:default/devops-app',
          from: 'qa',
          to: 'staging',
          image: 'public.ecr.aws/docker/library/python:3.12-slim',
        },
      },
    ]);
    expect(outputs(ctx)).toEqual({
      promotionId: 'p-123',
      status: 'pending_review',
      reviewRequired: true,
      link: '/aws-environments',
    });
    expect(logger.lines.join('\n')).toMatch(
      /Promotion p-123 requested: .*status pending_review/,
    );
  });

  it('leaves the image out when none is given', async () => {
    http.reply(201, promotion('approved', { reviewRequired: false }));
    const { ctx } = context({ ...VALID });
    await makeAction().handler(ctx as any);
    expect(http.calls[0].body).toEqual(VALID);
    expect(outputs(ctx)).toMatchObject({
      status: 'approved',
      reviewRequired: false,
    });
  });

  it.each([
    [
      409,
      'ConflictError',
      'component:default/devops-app already has an open promotion to staging (p-99)',
    ],
    [
      400,
      'InputError',
      'from: no image is running in qa for component:default/devops-app, so there is nothing to promote',
    ],
    [
      403,
      'NotAllowedError',
      'You may not request promotions of component:default/devops-app',
    ],
  ])(
    'surfaces a %s from the backend with its message',
    async (status, name, message) => {
      http.reply(status, errorBody(name, message, status));
      const { ctx } = context(VALID);
      const error = await makeAction()
        .handler(ctx as any)
        .catch(e => e);
      expect(error.message).toContain(message);
      expect(error.message).toContain(String(status));
      expect(http.calls).toHaveLength(1);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('surfaces a non-JSON error body as text', async () => {
    http.reply(502, 'upstream unavailable');
    const { ctx } = context(VALID);
    await expect(makeAction().handler(ctx as any)).rejects.toThrow(
      /Could not request the promotion of .*: .*502/,
    );
  });

  describe('waitForCompletion', () => {
    const WAIT = { ...VALID, waitForCompletion: true };

    it('polls until the promotion succeeded', async () => {
      http.reply(201, promotion('pending_review'));
      http.reply(200, promotion('pending_review'));
      http.reply(
        200,
        promotion('deploying', {
          decision: {
            approved: true,
            by: 'user:default/bob',
            at: '2025-01-01T00:01:00.000Z',
          },
          events: [
            {
              id: 1,
              promotionId: 'p-123',
              at: '2025-01-01T00:00:00.000Z',
              actor: USER,
              action: 'requested',
            },
            {
              id: 2,
              promotionId: 'p-123',
              at: '2025-01-01T00:01:00.000Z',
              actor: 'user:default/bob',
              action: 'approved',
              message: 'looks good',
            },
          ],
        }),
      );
      http.reply(200, promotion('succeeded'));
      const { ctx, logger } = context(WAIT);
      await makeAction().handler(ctx as any);

      expect(http.calls.map(c => `${c.method} ${c.url}`)).toEqual([
        `POST ${BASE_URL}/promotions`,
        `GET ${BASE_URL}/promotions/p-123`,
        `GET ${BASE_URL}/promotions/p-123`,
        `GET ${BASE_URL}/promotions/p-123`,
      ]);
      // A fresh token for every request.
      expect(getPluginRequestToken).toHaveBeenCalledTimes(4);
      for (const call of http.calls) {
        expect(call.headers.Authorization).toBe('Bearer obo-token');
      }
      expect(outputs(ctx)).toMatchObject({
        promotionId: 'p-123',
        status: 'succeeded',
      });
      const log = logger.lines.join('\n');
      expect(log).toContain('approved: looks good (user:default/bob)');
      expect(log).toContain('Promotion p-123 is now deploying');
      expect(log).toContain('Promotion p-123 succeeded');
    });

    it('fails with the failure reason', async () => {
      http.reply(201, promotion('approved'));
      http.reply(
        200,
        promotion('failed', {
          failureReason:
            'devops-app-staging UPDATE_ROLLBACK_COMPLETE: tasks failed to start',
        }),
      );
      const { ctx } = context(WAIT);
      await expect(makeAction().handler(ctx as any)).rejects.toThrow(
        'Promotion p-123 of component:default/devops-app from qa to staging failed: devops-app-staging UPDATE_ROLLBACK_COMPLETE: tasks failed to start',
      );
      expect(outputs(ctx)).toMatchObject({ status: 'failed' });
    });

    it('fails naming who rejected it', async () => {
      http.reply(201, promotion('pending_review'));
      http.reply(
        200,
        promotion('rejected', {
          decision: {
            approved: false,
            by: 'user:default/bob',
            at: '2025-01-01T00:01:00.000Z',
            comment: 'not this week',
          },
        }),
      );
      const { ctx } = context(WAIT);
      await expect(makeAction().handler(ctx as any)).rejects.toThrow(
        'was rejected by user:default/bob: "not this week"',
      );
    });

    it('times out while the request awaits review', async () => {
      jest.useFakeTimers();
      try {
        http.reply(201, promotion('pending_review'));
        for (let i = 0; i < 5; i++) {
          http.reply(200, promotion('pending_review'));
        }
        const { ctx } = context({ ...WAIT, timeoutMinutes: 1 });
        const action = createPromoteAction({
          config: seedConfig(),
          auth: { getPluginRequestToken } as unknown as AuthService,
          discovery: { getBaseUrl } as unknown as DiscoveryService,
          fetch: http.fetch,
          pollIntervalMs: 20_000,
        });
        const result = action.handler(ctx as any).catch(e => e);
        await jest.advanceTimersByTimeAsync(61_000);
        const error = await result;
        expect(error.message).toMatch(
          /Promotion p-123 .* still awaits review after 1 minutes; it must be approved by someone other than the requester \(user:default\/alice\)/,
        );
        // Reads at 20, 40 and 60 s.
        expect(http.calls).toHaveLength(4);
      } finally {
        jest.useRealTimers();
      }
    });

    it('stops waiting when the task is cancelled', async () => {
      http.reply(201, promotion('pending_review'));
      const controller = new AbortController();
      const { ctx } = context(WAIT, { signal: controller.signal });
      const action = createPromoteAction({
        config: seedConfig(),
        auth: { getPluginRequestToken } as unknown as AuthService,
        discovery: { getBaseUrl } as unknown as DiscoveryService,
        fetch: http.fetch,
        pollIntervalMs: 60_000,
      });
      const result = action.handler(ctx as any).catch(e => e);
      await new Promise(resolve => setTimeout(resolve, 10));
      controller.abort();
      const error = await result;
      expect(error.message).toMatch(
        /cancelled while waiting for promotion p-123/,
      );
      expect(http.calls).toHaveLength(1);
    });

    it('retries a transient read failure and surfaces a 4xx', async () => {
      http.reply(201, promotion('approved'));
      http.reply(503, errorBody('ServiceUnavailableError', 'restarting', 503));
      http.reply(200, promotion('deploying'));
      http.reply(
        403,
        errorBody('NotAllowedError', 'You may not see p-123', 403),
      );
      const { ctx, logger } = context(WAIT);
      await expect(makeAction().handler(ctx as any)).rejects.toThrow(
        /Could not read the status of promotion p-123: You may not see p-123 \(403/,
      );
      expect(logger.lines.join('\n')).toMatch(
        /warn .*restarting.*trying again/,
      );
    });
  });

  it('dry run: validates and logs what it would request, without HTTP', async () => {
    const { ctx, logger } = context(
      { ...VALID, waitForCompletion: true },
      { isDryRun: true },
    );
    await makeAction().handler(ctx as any);
    expectNoHttpCall();
    expect(ctx.getInitiatorCredentials).not.toHaveBeenCalled();
    expect(logger.lines.join('\n')).toContain(
      'Dry run: would request the promotion of component:default/devops-app from qa to staging',
    );
    expect(outputs(ctx)).toEqual({
      status: 'dry_run',
      reviewRequired: true,
      link: '/aws-environments',
    });
  });

  it('dry run still rejects bad input', async () => {
    const { ctx } = context({ ...VALID, to: 'prod' }, { isDryRun: true });
    await expect(makeAction().handler(ctx as any)).rejects.toThrow(/to: /);
    expectNoHttpCall();
  });
});
