/*
 * What the parts of the AWS CLI contract share (../../awsCli.contract.test.ts
 * registers them, in order, on one sandbox): the names of the stacks they
 * build and read, and the calls that run /usr/bin/aws against the sandbox.
 */
import path from 'node:path';
import { cliEnv, cliError, CliResult, ContractSandbox, run } from '../cli';

export const AWS = '/usr/bin/aws';
export const TEMPLATE = `file://${path.join(
  __dirname,
  '..',
  '..',
  'awsCliStack.yaml',
)}`;
export const STACK = 'cli-contract';
export const BROKEN = 'cli-contract-broken';
export const CLUSTER = `${STACK}-cluster`;
export const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;
export const STACK_ARN = new RegExp(
  `^arn:aws:cloudformation:us-east-1:000000000000:stack/${STACK}/[0-9a-f-]{36}$`,
);
export const SERVICE_DIMENSIONS = [
  { Name: 'ClusterName', Value: CLUSTER },
  { Name: 'ServiceName', Value: 'web' },
];

/** The calls and state the parts share. */
export interface AwsCli {
  /** The running sandbox (once the test file's beforeAll has started it). */
  readonly sb: ContractSandbox['sb'];
  /** STACK's id, set by the create-stack test for the tests after it. */
  stackId: string;
  /** A call that must succeed: its JSON output, or null if it printed none. */
  ok(...args: string[]): Promise<any>;
  /** A call that must fail with a service error (exit 254, `code`). */
  fails(
    code: string,
    ...args: string[]
  ): Promise<NonNullable<ReturnType<typeof cliError>>>;
  /** A waiter: exit code and what it printed (nothing when it succeeds). */
  wait(
    ...args: string[]
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export function awsCli(t: ContractSandbox): AwsCli {
  /** Runs `aws <args>` with JSON output against the sandbox. */
  function aws(...args: string[]): Promise<CliResult> {
    return run(
      AWS,
      [
        '--endpoint-url',
        t.sb.url,
        '--region',
        'us-east-1',
        '--output',
        'json',
        '--no-cli-pager',
        ...args,
      ],
      { env: cliEnv(t.sb.url) },
    );
  }

  async function ok(...args: string[]): Promise<any> {
    const r = await aws(...args);
    if (r.code !== 0) {
      throw new Error(`aws ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    }
    return r.stdout.trim() ? JSON.parse(r.stdout) : null;
  }

  async function fails(code: string, ...args: string[]) {
    const r = await aws(...args);
    const error = cliError(r.stderr);
    expect({ exit: r.code, stdout: r.stdout, code: error?.code }).toEqual({
      exit: 254,
      stdout: '',
      code,
    });
    return error!;
  }

  async function wait(...args: string[]) {
    const r = await aws(...args);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr.trim() };
  }

  return {
    get sb() {
      return t.sb;
    },
    stackId: '',
    ok,
    fails,
    wait,
  };
}
