/*
 * Starts a manual-clock sandbox on a random port for one test file and hands
 * out SDK client configuration pointing at it.
 */
import { startSandbox, RunningSandbox, StartSandboxOptions } from '../index';

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface TestSandbox {
  sb: RunningSandbox;
  /** Client config: endpoint, region, dummy credentials, no retries. */
  config: {
    endpoint: string;
    region: string;
    credentials: typeof credentials;
    maxAttempts: number;
  };
}

export function useSandbox(options: StartSandboxOptions = {}): TestSandbox {
  const ctx = {} as TestSandbox;
  beforeAll(async () => {
    ctx.sb = await startSandbox({
      port: 0,
      clock: 'manual',
      startTime: Date.UTC(2026, 0, 15, 12, 0, 0),
      resourceDelayMs: 0,
      seed: 7,
      ...options,
    });
    ctx.config = {
      endpoint: ctx.sb.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    };
  });
  afterAll(async () => {
    await ctx.sb?.close();
  });
  return ctx;
}

export async function adminFetch(
  sb: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sb.url}/_sandbox/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Waits (wall time) until `check` returns a truthy value. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
