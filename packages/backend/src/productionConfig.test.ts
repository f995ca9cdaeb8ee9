import { spawn, ChildProcess } from 'child_process';
import path from 'path';
import { Client } from 'pg';

/*
 * Starts this backend the way production does (app-config.production.yaml:
 * PostgreSQL and Redis) and reads the catalog through its HTTP API. Runs
 * when scripts/test found PostgreSQL and Redis on 127.0.0.1 (it exports the
 * connection strings); CI requires both.
 */
const pgUrl = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const redisUrl = process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING;
const required = process.env.AWS_ENV_REQUIRE_SERVICES === '1';
if (!(pgUrl && redisUrl)) {
  const why =
    'the production-configuration test needs PostgreSQL and Redis (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING; scripts/test sets them when 127.0.0.1:5432 and :6379 answer)';
  // CI must never pass by skipping the one test that runs production's setup.
  if (required) throw new Error(`AWS_ENV_REQUIRE_SERVICES=1 but ${why}`);
  // eslint-disable-next-line no-console
  console.warn(`Skipping: ${why}`);
}
const describeWithServices = pgUrl && redisUrl ? describe : describe.skip;

const root = path.resolve(__dirname, '../../..');
const port = 7117;
const baseUrl = `http://localhost:${port}`;

async function waitForReady(child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`backend exited early:\n${output.join('').slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`backend not ready:\n${output.join('').slice(-4000)}`);
}

describeWithServices('backend on the production configuration', () => {
  let child: ChildProcess;
  const output: string[] = [];

  beforeAll(async () => {
    const pg = new URL(pgUrl!);
    child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(root, 'app-config.yaml'),
        '--config',
        path.join(root, 'app-config.production.yaml'),
      ],
      {
        cwd: path.join(root, 'packages/backend'),
        env: {
          ...process.env,
          NODE_ENV: 'development',
          POSTGRES_HOST: pg.hostname,
          POSTGRES_PORT: pg.port || '5432',
          POSTGRES_USER: decodeURIComponent(pg.username) || 'postgres',
          POSTGRES_PASSWORD: decodeURIComponent(pg.password) || 'unused',
          REDIS_URL: redisUrl,
          BACKEND_BASE_URL: baseUrl,
          APP_CONFIG_backend_listen: `:${port}`,
          // Keeps this test's databases apart from a portal's on the same server.
          APP_CONFIG_backend_database_prefix: 'aws_env_prodtest_',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', d => output.push(String(d)));
    child.stderr!.on('data', d => output.push(String(d)));
    await waitForReady(child, output);
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);

  it('stores the catalog in PostgreSQL and serves it', async () => {
    const auth = await fetch(`${baseUrl}/api/auth/guest/refresh`);
    expect(auth.status).toBe(200);
    const token = (await auth.json()).backstageIdentity.token;

    // The catalog ingests catalog-info.yaml asynchronously after start.
    let names: string[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !names.includes('portal')) {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=component`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(res.status).toBe(200);
      names = (await res.json()).items.map((e: any) => e.metadata.name);
      if (!names.includes('portal'))
        await new Promise(r => setTimeout(r, 1000));
    }
    expect(names).toContain('portal');

    // ...and the entity it served lives in the catalog's PostgreSQL database.
    const db = new Client({
      connectionString: `${pgUrl!.replace(/\/$/, '')}/aws_env_prodtest_catalog`,
    });
    await db.connect();
    try {
      const rows = await db.query(
        'SELECT count(*)::int AS n FROM final_entities WHERE final_entity LIKE \'%"name":"portal"%\'',
      );
      expect(rows.rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await db.end();
    }
  }, 90_000);
});
