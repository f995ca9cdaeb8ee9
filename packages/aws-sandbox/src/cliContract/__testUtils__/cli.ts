/*
 * Shared by the CLI contract tests (*.contract.test.ts, run by scripts/test
 * as their own steps, not by the unit tests): an in-process sandbox whose
 * simulated clock runs ahead of wall time, and a way to run a real CLI as a
 * child process and read what it printed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, RunningSandbox } from '../../index';

export interface CliResult {
  /** Exit code (null if killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time the command took. */
  ms: number;
}

/** Runs a command to completion; never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d));
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      options.timeoutMs ?? 120_000,
    );
    child.on('error', e => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/**
 * The AWS CLI's error line for a service error (exit code 254):
 * `An error occurred (Code) when calling the Operation operation: message`.
 */
export function cliError(stderr: string) {
  const m =
    /An error occurred \(([^)]+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ?(.*)/.exec(
      stderr,
    );
  return m ? { code: m[1], operation: m[2], message: m[3].trim() } : undefined;
}

/** Environment for a CLI child: dummy keys, no profile, no config files. */
export function cliEnv(
  endpoint: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SystemRoot']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  const none = path.join(os.tmpdir(), 'aws-sandbox-contract-no-such-file');
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: none,
    AWS_SHARED_CREDENTIALS_FILE: none,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_ENDPOINT_URL: endpoint,
    ...extra,
  };
}

export interface ContractSandbox {
  sb: RunningSandbox;
  /** "service Operation" for every request the sandbox answered. */
  calls: string[];
}

/**
 * A sandbox on a random port for one test file. Its clock is manual and a
 * ticker moves it one simulated second every 100 ms (ten times wall time),
 * so ECS tasks start, drift detections finish and CloudFormation waits for
 * services take seconds; while a stack waits for a service, each poll also
 * moves it 5 s (stackWaitClockStepMs), as in the unit tests.
 */
export function useContractSandbox(seed: number): ContractSandbox {
  const ctx = { calls: [] as string[] } as ContractSandbox;
  let ticker: NodeJS.Timeout | undefined;
  beforeAll(async () => {
    ctx.sb = await startSandbox({
      port: 0,
      clock: 'manual',
      resourceDelayMs: 10,
      seed,
      log: line => ctx.calls.push(line),
    });
    ticker = setInterval(() => ctx.sb.advance(1), 100);
  });
  afterAll(async () => {
    if (ticker) clearInterval(ticker);
    await ctx.sb?.close();
  });
  return ctx;
}

/** Whether an executable exists; the contract is skipped, loudly, if not. */
export function haveExecutable(file: string, why: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    process.stderr.write(
      `SKIPPED: ${file} is missing (${why}); scripts/test installs it.\n`,
    );
    return false;
  }
}

export function tempDir(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
