import { APIRequestContext, expect } from '@playwright/test';
import fs from 'node:fs';
import { Client } from 'pg';

/*
 * What scripts/test tells the production checks about the replicas it
 * started (scripts/lib/production.sh): the proxy, each replica's own URL
 * and process id, the sandbox's request log, and the database prefix.
 */
export const proxyUrl = process.env.PRODUCTION_URL ?? 'http://localhost:7100';
export const replicaUrls = (process.env.REPLICA_URLS ?? '').split(',');
export const replicaPids = (process.env.REPLICA_PIDS ?? '')
  .split(',')
  .map(Number);
export const metricsUrls = (process.env.METRICS_URLS ?? '').split(',');
const sandboxLog = process.env.SANDBOX_LOG ?? '';
const databasePrefix = process.env.DATABASE_PREFIX ?? '';

/** Guest or the reviewer (oauth2Proxy provider, trusted only in this test). */
export async function tokenFor(
  api: APIRequestContext,
  user: 'guest' | 'reviewer',
  baseUrl = proxyUrl,
): Promise<string> {
  const res =
    user === 'guest'
      ? await api.get(`${baseUrl}/api/auth/guest/refresh`)
      : await api.get(`${baseUrl}/api/auth/oauth2Proxy/refresh`, {
          headers: { 'x-forwarded-user': 'reviewer' },
        });
  expect(res.ok(), await res.text()).toBeTruthy();
  return (await res.json()).backstageIdentity.token as string;
}

/**
 * The sandbox logs one line per AWS call, "<time> <service> <Operation>".
 * A mark is the number of lines so far; calls(mark) what came after it.
 */
export function sandboxMark(): number {
  return readCalls().length;
}

export function callsSince(mark: number, pattern?: RegExp): string[] {
  const calls = readCalls().slice(mark);
  return pattern ? calls.filter(c => pattern.test(c)) : calls;
}

function readCalls(): string[] {
  return fs
    .readFileSync(sandboxLog, 'utf8')
    .split('\n')
    .map(line => line.replace(/^\S+Z /, ''))
    .filter(line => /^[a-z0-9-]+ [A-Z][A-Za-z]+$/.test(line));
}

/** Runs a query in one of the plugins' PostgreSQL databases. */
export async function queryPluginDatabase<T>(
  pluginId: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({
    host: process.env.POSTGRES_HOST,
    port: Number(process.env.POSTGRES_PORT),
    user: process.env.POSTGRES_USER,
    password: process.env.POSTGRES_PASSWORD,
    database: `${databasePrefix}${pluginId}`,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The sum of a Prometheus sample over one replica's metrics (or all of
 * them), over every series whose labels include `labels`.
 */
export async function metricSum(
  name: string,
  labels: Record<string, string> = {},
  urls = metricsUrls,
): Promise<number> {
  let sum = 0;
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      const match = line.match(/^([a-z_]+)(?:\{(.*)\})? ([0-9.e+-]+)$/i);
      if (!match || match[1] !== name) continue;
      const found = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(m => [
          m[1],
          m[2],
        ]),
      );
      if (Object.entries(labels).every(([k, v]) => found[k] === v)) {
        sum += Number(match[3]);
      }
    }
  }
  return sum;
}

/** Stops a replica at once, as a crashed node or a killed pod would. */
export function killReplica(index: number) {
  process.kill(-replicaPids[index], 'SIGKILL');
}

export interface ServiceValues {
  project: string;
  environments: string[];
  image: string;
}

/** Starts the wizard's template through the scaffolder's REST API. */
export async function startProvisioning(
  api: APIRequestContext,
  token: string,
  values: ServiceValues,
  baseUrl = proxyUrl,
): Promise<string> {
  const res = await api.post(`${baseUrl}/api/scaffolder/v2/tasks`, {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      templateRef: 'template:default/aws-service-environments',
      values: {
        owner: 'group:default/devops-team',
        desiredCount: 2,
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: false,
        ...values,
      },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

export async function waitForTask(
  api: APIRequestContext,
  token: string,
  id: string,
  timeout = 300_000,
) {
  await expect
    .poll(
      async () => {
        const res = await api.get(`${proxyUrl}/api/scaffolder/v2/tasks/${id}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        return res.ok() ? (await res.json()).status : `HTTP ${res.status()}`;
      },
      { timeout, intervals: [2000] },
    )
    .toBe('completed');
}

/** A task's log as one replica serves it. */
export async function taskLog(
  api: APIRequestContext,
  token: string,
  id: string,
  baseUrl: string,
): Promise<string[]> {
  const res = await api.get(`${baseUrl}/api/scaffolder/v2/tasks/${id}/events`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  const events = (await res.json()) as Array<{
    type: string;
    body: { message?: string };
  }>;
  return events.filter(e => e.type === 'log').map(e => e.body.message ?? '');
}
