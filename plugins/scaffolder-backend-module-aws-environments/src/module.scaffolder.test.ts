/*
 * The module inside the real scaffolder backend, as a portal installs both:
 * tasks created over the scaffolder's REST API (`/api/scaffolder/v2/...`),
 * checked against the shipped template's parameter and secret schemas, run
 * by the scaffolder's own workflow runner, and logged by it. The catalog
 * is an in-memory stand-in that holds the templates; AWS is
 * aws-sdk-client-mock, and only the dry run reaches it.
 */
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { mockAws } from './__testUtils__/awsMocks';
import { SEED_CONFIG } from './__testUtils__/fixtures';
import scaffolderModuleAwsEnvironments from './index';

jest.setTimeout(60_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const TEMPLATE_DIR = resolve(
  __dirname,
  '../templates/aws-service-environments',
);
const CANARY = 'canary-2d7e41-do-not-store';

const CONFIG = {
  ...SEED_CONFIG,
  // Static credentials for the seed's account: no STS call to find them.
  aws: {
    accounts: [
      {
        accountId: '000000000000',
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'not-a-real-key',
      },
    ],
  },
};

/** The shipped template, as the catalog serves it from its file location. */
const shipped = {
  ...parse(readFileSync(resolve(TEMPLATE_DIR, 'template.yaml'), 'utf8')),
};
shipped.metadata = {
  ...shipped.metadata,
  namespace: 'default',
  annotations: {
    'backstage.io/managed-by-location': `file:${resolve(
      TEMPLATE_DIR,
      'template.yaml',
    )}`,
  },
};

/**
 * A hand-written template, as another portal might have one: its step's
 * input passes the action's JSON schema (each count is 1 to 10) but not
 * the action's own check (the tasks at start exceed the maximum).
 */
const badCounts = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'provision-bad-counts', namespace: 'default' },
  spec: {
    owner: 'group:default/platform-team',
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'provision',
        name: 'Provision',
        action: 'aws:environments:provision',
        input: {
          project: 'log-app',
          owner: 'group:default/devops-team',
          environments: ['test'],
          image: 'public.ecr.aws/docker/library/python:3.12-slim',
          minCapacity: 3,
          maxCapacity: 5,
          desiredCount: 7,
        },
      },
    ],
  },
};

/** What the wizard sends for a valid run into test. */
const WIZARD = {
  project: 'log-app',
  owner: 'group:default/devops-team',
  description: 'Made by the scaffolder test',
  environments: ['test'],
  image: 'public.ecr.aws/docker/library/python:3.12-slim',
  desiredCount: 1,
  minCapacity: 1,
  maxCapacity: 10,
  loadBalancer: false,
  appSecret: '*'.repeat(CANARY.length),
  confirmProd: false,
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
type Knex = Awaited<ReturnType<TestDatabases['init']>>;

async function startScaffolder(options: {
  knex?: Knex;
  /** 0 keeps created tasks from running. */
  concurrentTasksLimit: number;
}) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAwsEnvironments,
      mockServices.rootConfig.factory({
        data: {
          ...CONFIG,
          scaffolder: { concurrentTasksLimit: options.concurrentTasksLimit },
        },
      }),
      catalogServiceMock.factory({ entities: [shipped, badCounts] }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
    ],
  });
  const base = `http://localhost:${backend.server.port()}/api/scaffolder`;
  return {
    async post(path: string, body: unknown) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    async get(path: string) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      return res.json();
    },
  };
}

/** Every row of every table, as text. */
async function everythingStored(knex: Knex): Promise<string> {
  const tables: Array<{ name: string }> = await knex('sqlite_master')
    .where({ type: 'table' })
    .select('name');
  const rows = await Promise.all(tables.map(({ name }) => knex(name)));
  return JSON.stringify(rows);
}

describe('submitting the template over the REST API', () => {
  let knex: Knex;
  let api: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    api = await startScaffolder({ knex, concurrentTasksLimit: 0 });
  });

  async function create(values: object, secrets?: Record<string, string>) {
    return api.post('/v2/tasks', {
      templateRef: 'template:default/aws-service-environments',
      values,
      secrets,
    });
  }

  it.each([
    ['appSecret', { appSecret: CANARY }],
    ['someSecretField', { someSecretField: CANARY }],
  ])(
    'refuses a secret in the values (%s) with 400 and stores nothing',
    async (name, extra) => {
      const before = (await api.get('/v2/tasks')).totalTasks;
      const res = await create({ ...WIZARD, ...extra });
      expect(res.status).toBe(400);
      const errors: Array<{ property: string; instance: unknown }> =
        res.body.errors;
      // The field is named: as the property, or (for a name the form does
      // not know) as the instance the property names were checked on.
      expect(
        errors.some(
          e => e.property === `instance.${name}` || e.instance === name,
        ),
      ).toBe(true);
      expect((await api.get('/v2/tasks')).totalTasks).toBe(before);
      expect(await everythingStored(knex)).not.toContain(CANARY);
    },
  );

  it('refuses prod without the confirmation, naming confirmProd', async () => {
    const res = await create({ ...WIZARD, environments: ['test', 'prod'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('confirmProd');
  });

  it('refuses an oversized task secret without echoing it', async () => {
    const secret = `${CANARY}${'x'.repeat(4096)}`;
    const res = await create(WIZARD, { appSecret: secret });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.message)).toEqual([
      'secrets.appSecret does not meet maximum length of 4096',
    ]);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
    expect(await everythingStored(knex)).not.toContain(CANARY);
  });

  it('creates the task when the secret comes as a task secret; the task as listed holds only asterisks', async () => {
    const res = await create(WIZARD, { appSecret: CANARY });
    expect(res.status).toBe(201);
    const task = await api.get(`/v2/tasks/${res.body.id}`);
    expect(task.spec.parameters).toEqual(WIZARD);
    const listed = await api.get('/v2/tasks');
    expect(listed.tasks.map((t: any) => t.id)).toContain(res.body.id);
    expect(JSON.stringify(listed)).not.toContain(CANARY);
    expect(JSON.stringify(task)).not.toContain(CANARY);
  });
});

describe('the task log', () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => {
    aws = mockAws();
  });
  afterEach(() => aws.reset());

  it('keeps the names that contain "secret" once a secret is given (dry run of the shipped template)', async () => {
    const api = await startScaffolder({ concurrentTasksLimit: 0 });
    const skeleton = 'skeleton/catalog-info.yaml';
    const res = await api.post('/v2/dry-run', {
      template: shipped,
      values: WIZARD,
      secrets: { appSecret: CANARY },
      directoryContents: [
        {
          path: skeleton,
          base64Content: readFileSync(resolve(TEMPLATE_DIR, skeleton)).toString(
            'base64',
          ),
        },
      ],
    });
    expect(res.status).toBe(200);
    const log = (res.body.log as Array<{ body: { message: string } }>)
      .map(e => e.body.message)
      .join('\n');
    // The plan names the SecureString; the scaffolder's redaction leaves
    // the word alone and hides only the secret itself.
    expect(log).toMatch(
      /test: would create log-app-test with \d+ resources and the SecureString \/log-app\/test\/app-secret/,
    );
    expect(log).not.toContain('***');
    expect(log).not.toContain(CANARY);
    // The step's input as the scaffolder logs it in a dry run.
    expect(log).toContain('"confirmProd": false');
    // Read only: nothing was written to AWS.
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  it("writes an input error as one line naming the field, without stack frames or the backend's paths", async () => {
    const api = await startScaffolder({ concurrentTasksLimit: 1 });
    const created = await api.post('/v2/tasks', {
      templateRef: 'template:default/provision-bad-counts',
      values: {},
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    let status = '';
    for (let i = 0; i < 200 && !['failed', 'completed'].includes(status); i++) {
      await new Promise(r => setTimeout(r, 100));
      status = (await api.get(`/v2/tasks/${id}`)).status;
    }
    expect(status).toBe('failed');
    const events: Array<{ type: string; body: any }> = await api.get(
      `/v2/tasks/${id}/events`,
    );
    const failed = events.filter(
      e => e.type === 'log' && e.body.status === 'failed',
    );
    expect(failed.map(e => e.body.message)).toEqual([
      'InputError: Invalid input: desiredCount: must lie between minCapacity (3) and maxCapacity (5)',
    ]);
    const log = events
      .map(e => e.body.message ?? e.body.error?.message)
      .filter(Boolean)
      .join('\n');
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toContain(REPO_ROOT);
    expect(log).not.toMatch(/node_modules|\.[cm]?[jt]s:\d+/);
    // Nothing reached AWS.
    expect(aws.cfn.calls()).toHaveLength(0);
    expect(aws.ssm.calls()).toHaveLength(0);
  });
});
