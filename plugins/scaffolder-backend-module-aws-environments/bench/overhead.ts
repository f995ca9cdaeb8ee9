/*
 * Benchmark of the provision action's own overhead (not a test):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/overhead.ts [runs]
 *
 * Runs the real `aws:environments:provision` handler for the seed's four
 * environments of devops-app (create, then update with a new image) against
 * an in-process @internal/aws-sandbox whose CloudFormation resources take no
 * time (`resourceDelayMs: 0`), with the real toolkit-lib deployer polling
 * every BENCH_POLL_MS (default 20) ms, reached through AWS_ENDPOINT_URL
 * (set here only). The sandbox is reset between runs; run 1 also loads
 * aws-cdk-lib and toolkit-lib.
 *
 * The injected deployer is the real CdkToolkitDeployer wrapped to time its
 * deploy calls and the synthesis toolkit-lib asks for through the action's
 * callback. Every CloudFormation, SSM and STS call is recorded and
 * attributed to toolkit-lib or to the action by its caller's stack frames;
 * toolkit-lib's own sleeps (poll intervals, change set waits) are recorded
 * from its setTimeout calls. From these:
 *
 *   handler        wall time of the action's handler
 *   plan synth     handler start to the first "stack ... has N resources"
 *                  log line: the in-process synthesis of the four stacks
 *   in deployer    union of the deploy() intervals (two at a time)
 *   outside        handler minus in deployer: the action's own overhead
 *                  (plan synth, input checks, DescribeStacks before and
 *                  after, PutParameter, results and entities)
 *   sleeps         union of toolkit-lib's timers while deploying: waiting
 *                  for the sandbox, not work
 *
 * Beside it, in every run (so both see the same machine load), the same
 * four stacks synthesized `cdk synth`-style in a fresh Node process
 * (packages/infra/bench/synthApp.ts), and the ratio of the action's
 * overhead outside toolkit-lib to that.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { startSandbox } from '@internal/aws-sandbox';
import {
  CdkToolkitDeployer,
  DeployRequest,
  EnvironmentDeployer,
} from '@envplane/plugin-aws-environments-node';
import { createProvisionAction } from '../src/actions/provision';

const RUNS = Number(process.argv[2] ?? 3);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const REPO_ROOT = resolve(__dirname, '../../..');
const SYNTH_APP = join(REPO_ROOT, 'packages/infra/bench/synthApp.ts');
const ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'];
const TOOLKIT_FRAME = `${join('@aws-cdk', 'toolkit-lib')}`;

const config = new ConfigReader({
  awsEnvironments: {
    environments: [
      ['test', 'Test', '10.3.0.0/16', 'manual', false],
      ['qa', 'QA', '10.1.0.0/16', 'manual', true],
      ['staging', 'Staging', '10.2.0.0/16', 'auto', true],
      ['prod', 'Production', '10.0.0.0/16', 'manual', true],
    ].map(([name, title, vpcCidr, trigger, reviewRequired]) => ({
      name,
      title,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcCidr,
      promotion: { trigger, reviewRequired },
    })),
  },
});

type Interval = [number, number];

/** Total length of a set of intervals, overlaps counted once. */
function unionMs(intervals: Interval[]): number {
  const sorted = intervals
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [start, end] = [NaN, NaN];
  for (const [a, b] of sorted) {
    if (!(a <= end)) {
      if (end > start) total += end - start;
      [start, end] = [a, b];
    } else {
      end = Math.max(end, b);
    }
  }
  if (end > start) total += end - start;
  return total;
}

/** Only the parts of `intervals` that fall inside `within`. */
function clip(intervals: Interval[], within: Interval[]): Interval[] {
  return intervals.flatMap(([a, b]) =>
    within
      .map(([c, d]): Interval => [Math.max(a, c), Math.min(b, d)])
      .filter(([x, y]) => y > x),
  );
}

// ---- recording ------------------------------------------------------------

interface Recording {
  calls: Array<
    { by: 'toolkit' | 'action'; operation: string } & {
      at: Interval;
    }
  >;
  sleeps: Interval[];
  deploys: Interval[];
  resynth: Interval[];
}

let recording: Recording | undefined;

function calledFromToolkit(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack.includes(TOOLKIT_FRAME);
}

for (const Client of [CloudFormationClient, SSMClient, STSClient]) {
  const proto = Client.prototype as unknown as {
    send: (command: any, ...rest: unknown[]) => Promise<unknown>;
  };
  const send = proto.send;
  // Patching each client's prototype once, at load, is the point of the loop.
  // eslint-disable-next-line no-loop-func
  proto.send = function recordedSend(command: any, ...rest: unknown[]) {
    const target = recording;
    const promise = send.call(this, command, ...rest);
    if (target) {
      const call = {
        by: calledFromToolkit() ? ('toolkit' as const) : ('action' as const),
        operation: command.constructor.name.replace(/Command$/, ''),
        at: [performance.now(), NaN] as Interval,
      };
      target.calls.push(call);
      const done = () => {
        call.at[1] = performance.now();
      };
      promise.then(done, done);
    }
    return promise;
  };
}

// toolkit-lib's waits (stack polling, change set settling) are setTimeouts.
const realSetTimeout = global.setTimeout;
global.setTimeout = function recordedSetTimeout(
  this: unknown,
  callback: (...args: any[]) => void,
  ms?: number,
  ...args: any[]
) {
  const target = recording;
  if (target && ms && ms > 0 && calledFromToolkit()) {
    const interval: Interval = [performance.now(), NaN];
    target.sleeps.push(interval);
    return realSetTimeout(
      (...a: any[]) => {
        interval[1] = performance.now();
        callback(...a);
      },
      ms,
      ...args,
    );
  }
  return realSetTimeout(callback, ms, ...args);
} as typeof setTimeout;

class TimedDeployer implements EnvironmentDeployer {
  constructor(private readonly inner: EnvironmentDeployer) {}

  async deploy(request: DeployRequest) {
    const target = recording;
    const interval: Interval = [performance.now(), NaN];
    target?.deploys.push(interval);
    try {
      return await this.inner.deploy({
        ...request,
        synthesize: props => {
          const at: Interval = [performance.now(), NaN];
          try {
            return request.synthesize(props);
          } finally {
            at[1] = performance.now();
            target?.resynth.push(at);
          }
        },
      });
    } finally {
      interval[1] = performance.now();
    }
  }

  diff: EnvironmentDeployer['diff'] = request => this.inner.diff(request);
}

// ---- the action -----------------------------------------------------------

function logger(lines: Array<{ at: number; line: string }>): LoggerService {
  const log = (line: string) => {
    lines.push({ at: performance.now(), line });
  };
  const l: LoggerService = {
    error: log,
    warn: log,
    info: log,
    debug: () => {},
    child: () => l,
  };
  return l;
}

const deployer = new TimedDeployer(
  new CdkToolkitDeployer({ pollIntervalMs: POLL_MS }),
);
const action = createProvisionAction({
  config,
  credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
  deployer,
  provisioning: { pollIntervalMs: POLL_MS, concurrency: CONCURRENCY },
});

async function provision(image: string) {
  const scratch = mkdtempSync(join(tmpdir(), 'provision-bench-'));
  const lines: Array<{ at: number; line: string }> = [];
  const outputs: Record<string, any> = {};
  let dirs = 0;
  const ctx = {
    input: {
      project: 'devops-app',
      owner: 'group:default/devops-team',
      environments: ENVIRONMENTS,
      image,
      confirmProd: true,
    },
    secrets: { appSecret: 'bench-secret-0f3a' },
    logger: logger(lines),
    workspacePath: scratch,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    createTemporaryDirectory: async () => {
      const dir = join(scratch, `tmp-${dirs++}`);
      return mkdtempSync(dir);
    },
    checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
    getInitiatorCredentials: async () => ({}),
    task: { id: 'bench' },
    isDryRun: false,
  };
  const rec: Recording = { calls: [], sleeps: [], deploys: [], resynth: [] };
  recording = rec;
  const start = performance.now();
  try {
    await action.handler(ctx as any);
  } catch (error) {
    throw new Error(
      `${error}\n--- log ---\n${lines.map(l => l.line).join('\n')}`,
    );
  } finally {
    recording = undefined;
  }
  const end = performance.now();
  rmSync(scratch, { recursive: true, force: true });
  const planned = lines.find(l => / resources \(/.test(l.line));
  const statuses = (outputs.environments as Array<{ status: string }>).map(
    e => e.status,
  );
  return {
    start,
    end,
    rec,
    planSynthMs: (planned?.at ?? NaN) - start,
    statuses,
  };
}

function countBy(calls: Recording['calls'], by: 'toolkit' | 'action') {
  const counts: Record<string, number> = {};
  for (const c of calls.filter(x => x.by === by)) {
    counts[c.operation] = (counts[c.operation] ?? 0) + 1;
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { counts, total };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time of `cdk synth`-style synthesis of the four stacks. */
function separateProcessSynth(): number {
  const scratch = mkdtempSync(join(tmpdir(), 'provision-bench-synth-'));
  try {
    const start = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        SYNTH_APP,
        join(scratch, 'cdk.out'),
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      },
    );
    if (result.status !== 0) {
      throw new Error(`synthApp failed: ${result.stderr}`);
    }
    return performance.now() - start;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  console.log(
    `Node ${
      process.version
    }, ${new Date().toISOString()}; poll ${POLL_MS} ms, concurrency ${CONCURRENCY}\n`,
  );
  const sandboxCalls: Record<string, number> = {};
  const sb = await startSandbox({
    port: 0,
    clock: 'manual',
    resourceDelayMs: 0,
    log: line => {
      sandboxCalls[line] = (sandboxCalls[line] ?? 0) + 1;
    },
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: 'AKIDSANDBOX',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  const rows: string[] = [];
  const calls: string[] = [];
  const ratios: Record<string, number[]> = { create: [], update: [] };
  const synthTimes: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      sb.reset();
      const synthMs = separateProcessSynth();
      synthTimes.push(synthMs);
      for (const [operation, image] of [
        ['create', 'public.ecr.aws/docker/library/python:3.12-slim'],
        ['update', 'public.ecr.aws/docker/library/python:3.13-slim'],
      ]) {
        for (const key of Object.keys(sandboxCalls)) delete sandboxCalls[key];
        const r = await provision(image);
        const handlerMs = r.end - r.start;
        const inDeployer = unionMs(r.rec.deploys);
        const outside = handlerMs - inDeployer;
        const sleeps = unionMs(clip(r.rec.sleeps, r.rec.deploys));
        const resynth = r.rec.resynth.reduce((t, [a, b]) => t + b - a, 0);
        const byAction = countBy(r.rec.calls, 'action');
        const byToolkit = countBy(r.rec.calls, 'toolkit');
        const seen = Object.values(sandboxCalls).reduce((sum, n) => sum + n, 0);
        if (seen !== byAction.total + byToolkit.total) {
          console.warn(
            `note: sandbox saw ${seen} calls, recorded ${
              byAction.total + byToolkit.total
            }`,
          );
        }
        // Run 1's create also loads toolkit-lib and warms aws-cdk-lib.
        if (run > 1 || operation === 'update') {
          ratios[operation].push(outside / synthMs);
        }
        rows.push(
          `| ${run} | ${operation} | ${r.statuses.join(' ')} | ${fmt(
            handlerMs,
          )} | ${fmt(r.planSynthMs)} | ${fmt(inDeployer)} | ${fmt(
            sleeps,
          )} | ${fmt(resynth)} | ${fmt(outside)} | ${byAction.total} | ${
            byToolkit.total
          } | ${fmt(synthMs)} | ${(outside / synthMs).toFixed(2)} |`,
        );
        if (run === RUNS) {
          calls.push(
            `${operation}: action ${byAction.total} (${fmtCounts(
              byAction.counts,
            )}); toolkit-lib ${byToolkit.total} (${fmtCounts(
              byToolkit.counts,
            )})`,
          );
        }
      }
    }
  } finally {
    await sb.close();
  }

  console.log(
    '| Run | Op | Result | Handler | Plan synth (in-process) | In deployer.deploy (union) | of which toolkit sleeps | Re-synth in toolkit callback (sum) | Outside toolkit-lib | Action calls | toolkit-lib calls | Separate-process synth | Outside / separate synth |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
  console.log(
    `\nCalls of the last run, four environments:\n${calls.join('\n')}`,
  );

  console.log(
    `\nSeparate-process synth (synthApp.ts, once per run): median ${fmt(
      median(synthTimes),
    )}`,
  );
  for (const [operation, values] of Object.entries(ratios)) {
    if (values.length === 0) continue;
    console.log(
      `${operation}: action overhead outside toolkit-lib / separate-process synth, warm runs: median ${median(
        values,
      ).toFixed(2)} (${values.map(v => v.toFixed(2)).join(', ')})`,
    );
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
