import { createServiceFactory } from '@backstage/backend-plugin-api';
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
} from '@internal/plugin-aws-environments-common';
import request from 'supertest';
import {
  CANARY,
  capturingLogger,
  createTestService,
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
} from './__testUtils__/awsFixtures';
import { testEntities } from './__testUtils__/entities';
import plugin from './index';
import { awsEnvironmentsServiceRef } from './service/awsEnvironmentsServiceRef';

const STATUS_URL = '/api/aws-environments/entity/default/component/shop/status';
const auth = { Authorization: mockCredentials.user.header() };

describe('router', () => {
  const authorize = jest.fn();
  let logger: ReturnType<typeof capturingLogger>;

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

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: environmentsConfig }),
        catalogServiceMock.factory({ entities: testEntities }),
        mockServices.permissions.mock({ authorize }).factory,
        // Requests without a token are anonymous, as in a real backend
        // (the mock otherwise treats them as a default user).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: awsEnvironmentsServiceRef,
          deps: {},
          factory: () => createTestService({ logger }).service,
        }),
      ],
    });
    return server;
  }

  beforeEach(() => {
    resetAwsMocks();
    authorize.mockReset();
    decide();
    logger = capturingLogger();
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

  it('never lets a parameter value out, in bodies or logs', async () => {
    const written: string[] = [];
    const stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        written.push(chunk.toString());
        return true;
      });
    try {
      const server = await startBackend();
      for (const url of [
        STATUS_URL,
        `${STATUS_URL}?range=7d`,
        `${STATUS_URL}?environment=qa`,
      ]) {
        const res = await request(server).get(url).set(auth);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(CANARY);
      }
    } finally {
      stdout.mockRestore();
    }
    expect(written.join('')).not.toContain(CANARY);
    expect(logger.lines.join('\n')).not.toContain(CANARY);
  });
});
