import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BackstageCredentials,
  ServiceFactory,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EnvironmentStatusResponse,
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsStatusReadPermission,
} from '@envplane/plugin-aws-environments-common';
import request from 'supertest';
import { format } from 'node:util';
import {
  CANARY,
  awsError,
  awsMocks,
  createTestService,
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from './__testUtils__/awsFixtures';
import { shopEntity, testEntities } from './__testUtils__/entities';
import plugin from './index';
import { awsEnvironmentsServiceRef } from './service/awsEnvironmentsServiceRef';

const STATUS_URL = '/api/aws-environments/entity/default/component/shop/status';
const auth = { Authorization: mockCredentials.user.header() };

describe('router', () => {
  const authorize = jest.fn();

  /** Decides per permission name; allow everything unless told otherwise. */
  function decide(denied: string[] = []) {
    authorize.mockImplementation(
      async (requests: { permission: { name: string } }[]) =>
        requests.map(
          (r): PolicyDecision => ({
            result: denied.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          }),
        ),
    );
  }

  async function startBackendWith(
    options: {
      catalog?: ServiceFactory;
      rootLogger?: ServiceFactory;
    } = {},
  ) {
    return startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: environmentsConfig }),
        options.catalog ??
          catalogServiceMock.factory({ entities: testEntities }),
        ...(options.rootLogger ? [options.rootLogger] : []),
        mockServices.permissions.mock({ authorize }).factory,
        // Requests without a token are anonymous, as in a real backend
        // (the mock otherwise treats them as a default user).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        // The backend's own logger, so log checks see what production logs.
        createServiceFactory({
          service: awsEnvironmentsServiceRef,
          deps: { logger: coreServices.logger },
          factory: ({ logger }) => createTestService({ logger }).service,
        }),
      ],
    });
  }

  async function startBackend(
    options: Parameters<typeof startBackendWith>[0] = {},
  ) {
    return (await startBackendWith(options)).server;
  }

  beforeEach(() => {
    resetAwsMocks();
    authorize.mockReset();
    decide();
    for (const environment of ['test', 'qa', 'staging', 'prod']) {
      seedEnvironment({ environment });
    }
  });

  it('rejects unauthenticated requests with 401', async () => {
    const server = await startBackend();
    const res = await request(server).get(STATUS_URL);
    expect(res.status).toBe(401);
  });

  it('answers 404 for entities the caller cannot see', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/aws-environments/entity/default/component/secret/status')
      .set(auth);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('component:default/secret');
  });

  it('answers 404 for an existing entity hidden from the caller, reading the catalog as the caller', async () => {
    const owner = 'user:default/shop-owner';
    const stranger = 'user:default/stranger';
    const callerRef = (credentials: BackstageCredentials) =>
      credentials.principal &&
      typeof credentials.principal === 'object' &&
      'userEntityRef' in credentials.principal
        ? credentials.principal.userEntityRef
        : undefined;
    // Like the catalog's permission-filtered reads: the entity exists, but
    // only its owner may see it.
    const getEntityByRef = jest.fn(
      async (_ref: unknown, opts: { credentials: BackstageCredentials }) =>
        callerRef(opts.credentials) === owner ? shopEntity : undefined,
    );
    const server = await startBackend({
      catalog: catalogServiceMock.mock({ getEntityByRef }).factory,
    });

    const hidden = await request(server)
      .get(STATUS_URL)
      .set({ Authorization: mockCredentials.user.header(stranger) });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe(
      'Entity component:default/shop not found',
    );
    expect(getEntityByRef).toHaveBeenLastCalledWith('component:default/shop', {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({ userEntityRef: stranger }),
      }),
    });
    // Nothing about the hidden entity is read from AWS or checked further.
    expect(totalCalls()).toBe(0);
    expect(authorize).not.toHaveBeenCalled();

    const visible = await request(server)
      .get(STATUS_URL)
      .set({ Authorization: mockCredentials.user.header(owner) });
    expect(visible.status).toBe(200);
    expect(getEntityByRef).toHaveBeenLastCalledWith('component:default/shop', {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({ userEntityRef: owner }),
      }),
    });
  });

  it('answers 403 without the status permission, checked on the entity', async () => {
    decide([awsEnvironmentsStatusReadPermission.name]);
    const server = await startBackend();
    const res = await request(server).get(STATUS_URL).set(auth);
    expect(res.status).toBe(403);
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: awsEnvironmentsStatusReadPermission,
          resourceRef: 'component:default/shop',
        },
        {
          permission: awsEnvironmentsParametersReadPermission,
          resourceRef: 'component:default/shop',
        },
      ],
      {
        credentials: expect.objectContaining({ principal: expect.anything() }),
      },
    );
  });

  it('explains the annotation when it is missing', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/aws-environments/entity/default/component/legacy/status')
      .set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'no aws-environments.io/project annotation',
    );
  });

  it('rejects an invalid project annotation', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/aws-environments/entity/default/component/broken/status')
      .set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"Not A Project" is invalid');
  });

  it('names the field of an unknown environment', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(`${STATUS_URL}?environment=dev`)
      .set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'environment "dev" is not a configured environment; use one of test, qa, staging, prod',
    );
  });

  it('rejects an environment the entity does not run in', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(`${STATUS_URL}?environment=prod`)
      .set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'not one of component:default/shop',
    );
  });

  it('names the field of an invalid range', async () => {
    const server = await startBackend();
    const res = await request(server).get(`${STATUS_URL}?range=2h`).set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Query parameter "range"');
  });

  it("returns the entity's environments with parameter metadata", async () => {
    const server = await startBackend();
    const res = await request(server).get(`${STATUS_URL}?range=6h`).set(auth);
    expect(res.status).toBe(200);
    const body = res.body as EnvironmentStatusResponse;
    expect(body.entityRef).toBe('component:default/shop');
    expect(body.range).toBe('6h');
    expect(body.environments.map(e => [e.name, e.health])).toEqual([
      ['test', 'healthy'],
      ['qa', 'healthy'],
    ]);
    expect(body.environments[0].parameters).toHaveLength(2);
    expect(body.environments[0].errors).toEqual([]);
  });

  it('returns one environment when asked', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(`${STATUS_URL}?environment=qa`)
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body.environments.map((e: { name: string }) => e.name)).toEqual([
      'qa',
    ]);
  });

  it('leaves parameters out, with a typed note, without the parameters permission', async () => {
    decide([awsEnvironmentsParametersReadPermission.name]);
    const server = await startBackend();
    const res = await request(server).get(STATUS_URL).set(auth);
    expect(res.status).toBe(200);
    for (const environment of (res.body as EnvironmentStatusResponse)
      .environments) {
      expect(environment.parameters).toEqual([]);
      expect(environment.errors).toEqual([
        expect.objectContaining({ type: 'ACCESS_DENIED', source: 'ssm' }),
      ]);
    }
    expect(res.text).not.toContain('/shop/test/log-level');
  });

  it('never lets a parameter value out, in bodies or logs, on success or failure', async () => {
    const { names } = seedEnvironment({ environment: 'qa' });
    awsMocks.logs
      .on(FilterLogEventsCommand, { logGroupName: names.logGroupName })
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const written: string[] = [];
    const stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        written.push(chunk.toString());
        return true;
      });
    // The mock root logger prints through console.
    const consoleSpies = (
      ['error', 'warn', 'info', 'debug', 'log'] as const
    ).map(level =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        written.push(`${level} ${format(...args)}`);
      }),
    );
    try {
      const backend = await startBackendWith({
        rootLogger: mockServices.rootLogger.factory({ level: 'debug' }),
      });
      const server = backend.server;
      for (const url of [
        STATUS_URL,
        `${STATUS_URL}?range=7d`,
        `${STATUS_URL}?environment=qa`,
      ]) {
        const res = await request(server).get(url).set(auth);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(CANARY);
        const qa = (res.body as EnvironmentStatusResponse).environments.find(
          e => e.name === 'qa',
        );
        expect(qa?.errors).toEqual([
          expect.objectContaining({ type: 'THROTTLED', source: 'logs' }),
        ]);
      }
      // Shutdown logs too, and should do so while we still listen.
      await backend.stop();
    } finally {
      stdout.mockRestore();
      consoleSpies.forEach(spy => spy.mockRestore());
    }
    // The check below is only worth something if logging reached us.
    expect(written.join('\n')).toMatch(/Reading logs of shop\/qa failed/);
    for (const line of written) {
      expect(line).not.toContain(CANARY);
    }
  });
});
