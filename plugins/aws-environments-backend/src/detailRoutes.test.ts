import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  EnvironmentLogsResponse,
  EnvironmentStatusResponse,
  awsEnvironmentsStatusReadPermission,
} from '@envplane/plugin-aws-environments-common';
import request from 'supertest';
import {
  awsMocks,
  callCounts,
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from './__testUtils__/awsFixtures';
import { fakePluginDependencies } from './__testUtils__/pluginDependencies';
import plugin from './index';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header() };
const BASE = '/api/aws-environments/entity/default/component/shop';

describe('details on demand: status without logs, and logs on their own', () => {
  const authorize = jest.fn();

  async function start() {
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: environmentsConfig }),
        mockServices.permissions.mock({ authorize }).factory,
        mockServices.scheduler.mock().factory,
        ...fakePluginDependencies(),
      ],
    });
    return server;
  }

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

  beforeEach(() => {
    resetAwsMocks();
    authorize.mockReset();
    decide();
    for (const environment of ['test', 'qa']) {
      seedEnvironment({ environment });
    }
  });

  it('reads one environment without its logs when asked', async () => {
    const server = await start();
    const res = await request(server)
      .get(`${BASE}/status?environment=qa&logs=false`)
      .set(auth);
    expect(res.status).toBe(200);
    const body = res.body as EnvironmentStatusResponse;
    expect(body.environments.map(e => e.name)).toEqual(['qa']);
    expect(body.environments[0].tasks.length).toBeGreaterThan(0);
    expect(body.environments[0].logs).toBeUndefined();
    expect(awsMocks.logs.calls()).toHaveLength(0);

    const bad = await request(server)
      .get(`${BASE}/status?logs=maybe`)
      .set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"logs"');
  });

  it('reads the logs of one environment alone, once per cache TTL', async () => {
    const server = await start();
    const res = await request(server)
      .get(`${BASE}/logs?environment=test&range=6h`)
      .set(auth);
    expect(res.status).toBe(200);
    const body = res.body as EnvironmentLogsResponse;
    expect(body).toMatchObject({
      entityRef: 'component:default/shop',
      name: 'test',
      range: '6h',
    });
    expect(body.logs.length).toBeGreaterThan(0);
    expect(Object.keys(callCounts())).toEqual(['FilterLogEvents']);

    const calls = totalCalls();
    const again = await request(server)
      .get(`${BASE}/logs?environment=test&range=6h`)
      .set(auth);
    expect(again.body).toEqual(body);
    expect(totalCalls()).toBe(calls);
  });

  it('refuses logs without an environment, of an environment the entity lacks, or without the status permission', async () => {
    const server = await start();
    const missing = await request(server).get(`${BASE}/logs`).set(auth);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('"environment"');
    const other = await request(server)
      .get(`${BASE}/logs?environment=prod`)
      .set(auth);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain(
      "component:default/shop's environments",
    );
    decide([awsEnvironmentsStatusReadPermission.name]);
    const denied = await request(server)
      .get(`${BASE}/logs?environment=test`)
      .set(auth);
    expect(denied.status).toBe(403);
    expect(totalCalls()).toBe(0);
  });
});
