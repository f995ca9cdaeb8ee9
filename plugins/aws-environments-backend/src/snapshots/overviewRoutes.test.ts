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
  StatusOverviewResponse,
  StatusOverviewRow,
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsStatusReadPermission,
} from '@envplane/plugin-aws-environments-common';
import request from 'supertest';
import {
  awsMocks,
  environmentsConfig,
  resetAwsMocks,
  seedEnvironment,
  totalCalls,
} from '../__testUtils__/awsFixtures';
import { fakePluginDependencies } from '../__testUtils__/pluginDependencies';
import plugin from '../index';
import { SUMMARY_CALLS } from './SnapshotRefresher';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header() };
const ENTITY_URL =
  '/api/aws-environments/entity/default/component/shop/overview';
const PAGE_URL = '/api/aws-environments/overview';

describe('overview routes', () => {
  const authorize = jest.fn();

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

  async function start() {
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: environmentsConfig }),
        mockServices.permissions.mock({ authorize }).factory,
        // No background refresh: what a page reads must come from the
        // requests themselves (SnapshotRefresher.test.ts covers the rest).
        mockServices.scheduler.mock().factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...fakePluginDependencies(),
      ],
    });
    return server;
  }

  beforeEach(() => {
    resetAwsMocks();
    authorize.mockReset();
    decide();
    for (const environment of ['test', 'qa', 'staging', 'prod']) {
      seedEnvironment({ environment });
    }
  });

  it("reads an entity's missing summaries once, then serves them from the snapshots with no AWS call", async () => {
    const server = await start();
    const first = await request(server).get(ENTITY_URL).set(auth);
    expect(first.status).toBe(200);
    const row = first.body as StatusOverviewRow;
    expect(row).toMatchObject({
      entityRef: 'component:default/shop',
      project: 'shop',
      owner: 'team-a',
    });
    expect(row.environments.map(e => e.name)).toEqual(['test', 'qa']);
    for (const env of row.environments) {
      expect(env.summary).toMatchObject({
        name: env.name,
        health: 'healthy',
        service: { desiredCount: 2, runningCount: 2 },
      });
      expect(env.summary).not.toHaveProperty('tasks');
    }
    // A summary, not a full read: no running tasks listed, no logs.
    expect(awsMocks.logs.calls()).toHaveLength(0);
    expect(totalCalls()).toBeLessThanOrEqual(2 * SUMMARY_CALLS + 2 * 3);

    resetAwsMocks();
    const second = await request(server).get(ENTITY_URL).set(auth);
    expect(second.body).toEqual(first.body);
    expect(totalCalls()).toBe(0);
  });

  it('answers 304 with no body when the ETag still matches', async () => {
    const server = await start();
    const first = await request(server).get(ENTITY_URL).set(auth);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await request(server)
      .get(ENTITY_URL)
      .set({ ...auth, 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBeFalsy();
    const other = await request(server)
      .get(ENTITY_URL)
      .set({ ...auth, 'If-None-Match': 'W/"something-else"' });
    expect(other.status).toBe(200);
  });

  it('pages the components with AWS environments from the snapshots, without reading AWS', async () => {
    const server = await start();
    const res = await request(server).get(PAGE_URL).set(auth);
    expect(res.status).toBe(200);
    const page = res.body as StatusOverviewResponse;
    // The unannotated component is not listed; the invalid one says why.
    expect(page.rows.map(r => r.entityRef)).toEqual([
      'component:default/broken',
      'component:default/shop',
    ]);
    expect(page.totalItems).toBe(2);
    expect(page.rows[0].error).toContain('aws-environments.io/project');
    // Never read: listed without a summary, and asked for ahead of the queue.
    expect(page.rows[1].environments).toEqual([
      { name: 'test' },
      { name: 'qa' },
    ]);
    expect(totalCalls()).toBe(0);

    await request(server).get(ENTITY_URL).set(auth);
    const after = await request(server).get(PAGE_URL).set(auth);
    expect(
      (after.body as StatusOverviewResponse).rows[1].environments[0].summary
        ?.health,
    ).toBe('healthy');

    const filtered = await request(server)
      .get(`${PAGE_URL}?owner=team-b`)
      .set(auth);
    expect(filtered.body.rows).toEqual([]);
    const limited = await request(server).get(`${PAGE_URL}?limit=1`).set(auth);
    expect(limited.body.rows).toHaveLength(1);
    expect(limited.body.nextCursor).toEqual(expect.any(String));
    const next = await request(server)
      .get(
        `${PAGE_URL}?limit=1&cursor=${encodeURIComponent(
          limited.body.nextCursor,
        )}`,
      )
      .set(auth);
    expect(next.body.rows.map((r: StatusOverviewRow) => r.entityRef)).toEqual([
      'component:default/shop',
    ]);
  });

  it('shows no environments to a caller without the status permission, and no parameter findings without that one', async () => {
    const server = await start();
    decide([awsEnvironmentsStatusReadPermission.name]);
    const denied = await request(server).get(ENTITY_URL).set(auth);
    expect(denied.status).toBe(200);
    expect(denied.body.environments).toEqual([]);
    expect(denied.body.error).toContain(
      awsEnvironmentsStatusReadPermission.name,
    );
    expect(totalCalls()).toBe(0);

    // The app secret is missing: a finding from SSM metadata.
    resetAwsMocks();
    for (const environment of ['test', 'qa']) {
      seedEnvironment({ environment });
    }
    awsMocks.ssm.onAnyCommand().resolves({ Parameters: [] });
    decide();
    const full = await request(server).get(ENTITY_URL).set(auth);
    expect(full.body.environments[0].summary.findings).toEqual([
      expect.objectContaining({ source: 'ssm' }),
    ]);
    decide([awsEnvironmentsParametersReadPermission.name]);
    const trimmed = await request(server).get(ENTITY_URL).set(auth);
    expect(trimmed.body.environments[0].summary).toMatchObject({
      findings: [],
      health: 'healthy',
    });
  });

  it('refuses bad queries naming the parameter, and anonymous callers', async () => {
    const server = await start();
    const bad = await request(server).get(`${PAGE_URL}?limit=1000`).set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"limit"');
    const anonymous = await request(server).get(PAGE_URL);
    expect(anonymous.status).toBe(401);
  });
});
