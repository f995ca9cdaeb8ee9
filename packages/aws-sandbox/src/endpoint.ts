/*
 * For tests of code that reaches AWS only through the SDK's own
 * configuration: starts a sandbox and points the SDK's environment at it,
 * so the code under test needs no knowledge of the sandbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningSandbox, StartSandboxOptions, startSandbox } from './start';

/** The environment variables startSandboxEndpoint sets and later restores. */
export const SANDBOX_ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'AWS_EC2_METADATA_DISABLED',
] as const;

export interface StartSandboxEndpointOptions extends StartSandboxOptions {
  /** Also make a temporary directory with this name prefix (`workDir`). */
  workDirPrefix?: string;
}

export interface SandboxEndpoint extends RunningSandbox {
  /** The temporary directory, when `workDirPrefix` was given. */
  workDir: string;
  /**
   * Stops the sandbox, then restores the environment variables it had
   * replaced and removes the temporary directory.
   */
  close(): Promise<void>;
}

/**
 * Starts a sandbox (by default on a free port with the manual clock) and
 * sets AWS_ENDPOINT_URL, dummy credentials, AWS_REGION (us-east-1) and
 * AWS_EC2_METADATA_DISABLED for the SDK clients made while it runs.
 */
export async function startSandboxEndpoint(
  options: StartSandboxEndpointOptions = {},
): Promise<SandboxEndpoint> {
  const { workDirPrefix, ...sandboxOptions } = options;
  const running = await startSandbox({
    port: 0,
    clock: 'manual',
    ...sandboxOptions,
  });
  const saved: Partial<Record<(typeof SANDBOX_ENV_KEYS)[number], string>> = {};
  for (const key of SANDBOX_ENV_KEYS) saved[key] = process.env[key];
  process.env.AWS_ENDPOINT_URL = running.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDSANDBOX';
  process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const workDir = workDirPrefix
    ? await mkdtemp(join(tmpdir(), workDirPrefix))
    : '';
  return {
    ...running,
    workDir,
    close: async () => {
      await running.close();
      for (const key of SANDBOX_ENV_KEYS) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      if (workDir) await rm(workDir, { recursive: true, force: true });
    },
  };
}
