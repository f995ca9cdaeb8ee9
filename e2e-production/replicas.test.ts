import {
  APIRequestContext,
  expect,
  Page,
  request as playwrightRequest,
  test,
} from '@playwright/test';
import {
  callsSince,
  killReplica,
  metricsUrls,
  metricSum,
  proxyUrl,
  queryPluginDatabase,
  replicaPids,
  replicaUrls,
  sandboxMark,
  startProvisioning,
  taskLog,
  tokenFor,
  waitForTask,
} from './harness';

/*
 * The built backend as production runs it: two replicas on one PostgreSQL
 * and one Redis, behind a round-robin proxy (scripts/test starts them). In
 * order, one project goes through the work that must happen once however
 * many replicas run: a provisioning task, a cached status read, the pages,
 * and a promotion whose deploying replica is killed mid-run.
 */
const PROJECT = 'replica-app';
const ENTITY = `component:default/${PROJECT}`;
const FIRST_IMAGE = 'public.ecr.aws/docker/library/python:3.12-slim';
const NEW_IMAGE = 'public.ecr.aws/docker/library/python:3.13-slim';

test.describe.configure({ mode: 'serial' });

let api: APIRequestContext;
let guest: string;

test.beforeAll(async () => {
  api = await playwrightRequest.newContext();
  guest = await tokenFor(api, 'guest');
});

const screenshot = (page: Page, name: string) =>
  page.screenshot({
    path: `test-results/screenshots/production-${name}.png`,
    fullPage: true,
  });

async function status(baseUrl: string, environment: string) {
  const res = await api.get(
    `${baseUrl}/api/aws-environments/entity/default/component/${PROJECT}/status?environment=${environment}`,
    { headers: { Authorization: `Bearer ${guest}` } },
  );
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).environments[0];
}

test('a provisioning task runs once, and either replica serves its log', async () => {
  const mark = sandboxMark();
  const id = await startProvisioning(api, guest, {
    project: PROJECT,
    environments: ['test', 'qa'],
    image: FIRST_IMAGE,
  });
  await waitForTask(api, guest, id);

  // Each environment's stack was created once: one change set executed
  // per environment, not one per replica.
  expect(callsSince(mark, /^cloudformation ExecuteChangeSet$/)).toHaveLength(2);

  const [first, second] = await Promise.all(
    replicaUrls.map(url => taskLog(api, guest, id, url)),
  );
  expect(first.length).toBeGreaterThan(5);
  expect(second).toEqual(first);
  expect(first.join('\n')).toContain(`${PROJECT}-qa`);
});

test('a status read by one replica is served to the other from Redis', async () => {
  // Through the first replica: the cache is filled from AWS...
  const fromFirst = await status(replicaUrls[0], 'test');
  expect(fromFirst.service?.image).toBe(FIRST_IMAGE);
  const mark = sandboxMark();
  // ...and the second answers the same from the shared cache, with no
  // status read of its own. Every full read calls FilterLogEvents (and
  // DescribeStackResources unless cached); the snapshot refresher's
  // summaries (ECS and CloudWatch, in the background) and the catalog
  // module's DescribeStacks call neither, and may run in the same seconds.
  const fromSecond = await status(replicaUrls[1], 'test');
  expect(fromSecond.fetchedAt).toBe(fromFirst.fetchedAt);
  expect(
    callsSince(mark, /^logs FilterLogEvents$|DescribeStackResources$/),
  ).toEqual([]);
});

test('both replicas serve the overview from the one set of snapshots in PostgreSQL', async () => {
  // A refresh may land between two reads; the check holds once it has.
  await expect(async () => {
    const overviews = await Promise.all(
      replicaUrls.map(async url => {
        const res = await api.get(
          `${url}/api/aws-environments/entity/default/component/${PROJECT}/overview`,
          { headers: { Authorization: `Bearer ${guest}` } },
        );
        expect(res.status(), await res.text()).toBe(200);
        return res.json();
      }),
    );
    expect(overviews[1]).toEqual(overviews[0]);
    const stored = await queryPluginDatabase<{
      environment: string;
      summary: string;
    }>(
      'aws-environments',
      'SELECT environment, summary FROM status_snapshots WHERE project = $1 ORDER BY environment',
      [PROJECT],
    );
    expect(stored.map(r => r.environment)).toEqual(['qa', 'test']);
    for (const env of overviews[0].environments) {
      const row = stored.find(r => r.environment === env.name)!;
      expect(env.summary).toEqual(JSON.parse(row.summary));
      expect(env.summary.service.image).toBe(FIRST_IMAGE);
    }
  }).toPass({ timeout: 30_000 });
});

test('each replica exports its metrics for Prometheus', async () => {
  // AWS calls by service, operation and outcome: the status reads' and the
  // catalog module's.
  expect(
    await metricSum('envplane_aws_calls_total', {
      service: 'ECS',
      operation: 'DescribeServices',
      outcome: 'ok',
    }),
  ).toBeGreaterThan(0);
  expect(
    await metricSum('envplane_aws_calls_total', {
      service: 'CloudFormation',
      operation: 'DescribeStacks',
    }),
  ).toBeGreaterThan(0);
  // The second replica's read above was a hit, the first one's a miss.
  expect(
    await metricSum('envplane_status_cache_total', { result: 'hit' }, [
      metricsUrls[1],
    ]),
  ).toBeGreaterThan(0);
  expect(
    await metricSum('envplane_status_cache_total', { result: 'miss' }),
  ).toBeGreaterThan(0);
  expect(await metricSum('envplane_status_age_count')).toBeGreaterThan(0);
  // Both environments of the provisioning task, by whichever replica ran it.
  expect(
    await metricSum('envplane_provisioning_duration_count', {
      outcome: 'succeeded',
    }),
  ).toBe(2);
});

test('sign-in, the catalog, the Environments tab and the status page through the proxy', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Portal', exact: true }),
  ).toBeVisible();
  await screenshot(page, 'catalog');

  // The catalog module finds the new stacks on its schedule.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${PROJECT}/environments`);
    await expect(page.getByTestId('overview-qa')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
  for (const env of ['test', 'qa']) {
    await expect(page.getByTestId(`image-${env}`)).toContainText('3.12-slim');
  }
  // One environment's details, opened through the URL as a link would.
  for (const env of ['test', 'qa']) {
    await page.goto(
      `/catalog/default/component/${PROJECT}/environments?environment=${env}`,
    );
    const section = page.getByTestId(`environment-${env}`);
    await expect(section.getByText('RUNNING').first()).toBeVisible();
    await expect(
      section.getByText(`/${PROJECT}/${env}/app-secret`),
    ).toBeVisible();
  }
  await screenshot(page, 'environments-tab');

  await page.goto('/aws-environments');
  const row = page.getByRole('row', { name: new RegExp(PROJECT) });
  await expect(row.getByTestId('cell-qa')).toContainText('3.12-slim', {
    timeout: 60_000,
  });
  await screenshot(page, 'status-page');
});

test('a promotion approved through one replica deploys once, even when the deploying replica is killed', async () => {
  // A new image in test, through the wizard's action (an update in place).
  const update = await startProvisioning(api, guest, {
    project: PROJECT,
    environments: ['test'],
    image: NEW_IMAGE,
  });
  await waitForTask(api, guest, update);

  // Asked through the first replica, approved by someone else through the
  // second (qa is reviewed, four eyes).
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const reviewer = await tokenFor(api, 'reviewer', replicaUrls[1]);
  const created = await api.post(
    `${replicaUrls[0]}/api/aws-environments/promotions`,
    {
      headers: auth(guest),
      data: { entityRef: ENTITY, from: 'test', to: 'qa' },
    },
  );
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const mark = sandboxMark();
  const approved = await api.post(
    `${replicaUrls[1]}/api/aws-environments/promotions/${id}/approve`,
    { headers: auth(reviewer), data: { comment: 'two replicas' } },
  );
  expect(approved.status(), await approved.text()).toBe(200);

  // The replica that claimed the deployment is killed while CloudFormation
  // updates the stack it asked for.
  await expect
    .poll(() => callsSince(mark, /^cloudformation ExecuteChangeSet$/).length, {
      timeout: 180_000,
      intervals: [100],
    })
    .toBe(1);
  const [row] = await queryPluginDatabase<{
    claimed_by: string;
    status: string;
  }>(
    'aws-environments',
    'select claimed_by, status from promotions where id = $1',
    [id],
  );
  expect(row.status).toBe('deploying');
  const pid = Number(row.claimed_by.split('/')[1]);
  const killed = replicaPids.indexOf(pid);
  expect(killed, `claimed by ${row.claimed_by}`).toBeGreaterThanOrEqual(0);
  killReplica(killed);

  // The other replica takes the deployment over when the lease runs out
  // and finishes it: qa runs the new image, deployed once.
  await expect
    .poll(
      async () => {
        const res = await api.get(
          `${proxyUrl}/api/aws-environments/promotions/${id}`,
          { headers: auth(guest) },
        );
        return res.ok() ? (await res.json()).status : `HTTP ${res.status()}`;
      },
      { timeout: 300_000, intervals: [2000] },
    )
    .toBe('succeeded');
  const survivor = replicaUrls[1 - killed];
  expect((await status(survivor, 'qa')).service?.image).toBe(NEW_IMAGE);
  expect(callsSince(mark, /^cloudformation ExecuteChangeSet$/)).toHaveLength(1);
  // The survivor recorded the deployment it finished.
  expect(
    await metricSum(
      'envplane_promotion_duration_count',
      { kind: 'promotion', environment: 'qa', outcome: 'succeeded' },
      [metricsUrls[1 - killed]],
    ),
  ).toBe(1);
});
