/*
 * Benchmark of the Environments tab backend under slow AWS (not a test):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/latency.ts [runs]
 *
 * Starts @internal/aws-sandbox in-process and creates the seed's four
 * environments of project devops-app in it: the stacks are synthesized by
 * packages/infra/bench/synthApp.ts in a child process (as `cdk synth` would;
 * this package does not depend on @envplane/aws-environments-infra) and created with
 * CloudFormation CreateStack from the assembly's templates, after the
 * SecureString of each environment is written. The simulated clock is
 * moved 20 minutes so the tasks run and log.
 *
 * Then, with AWS_ENDPOINT_URL pointed at the sandbox (set here only), it
 * reads an entity's status (four environments, range 1h) through the
 * plugin's real EntityStatusReader, DefaultAwsEnvironmentsService and
 * EnvironmentStatusCollector, with SDK clients from
 * AwsClientFactory.fromConfig and Backstage's memory cache service, cold
 * (a fresh cache namespace per read):
 *
 *   1. without faults,
 *   2. with a sandbox latency fault of 100 ms on every call (service '*').
 *
 * Every SDK call of a read is recorded (operation, environment, start and
 * end), which gives the calls per environment and the longest chain of
 * dependent calls: the longest sequence of calls of one environment where
 * each starts after the previous one ended. With 100 ms per call, calls in
 * parallel overlap and dependent ones cannot, so that sequence is the
 * dependency depth. The "multiple" is the wall time of the slow read
 * divided by 100 ms: near the chain when the reads fan out, near the sum
 * of calls when they do not.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  BackstageCredentials,
  CacheService,
  LoggerService,
  PermissionsService,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startSandbox } from '@internal/aws-sandbox';
import {
  ANNOTATION_PROJECT,
  EnvironmentStatusResponse,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { readStatusOptions } from '../src/statusOptions';
import { DefaultAwsEnvironmentsService } from '../src/service/AwsEnvironmentsService';
import { EntityStatusReader } from '../src/service/EntityStatusReader';
import { EnvironmentStatusCollector } from '../src/service/EnvironmentStatusCollector';
import { tolerantCache } from '../src/service/tolerantCache';

const RUNS = Number(process.argv[2] ?? 3);
const LATENCY_MS = 100;
const PROJECT = 'devops-app';
const ENVIRONMENTS: Array<[string, string, string]> = [
  ['test', 'Test', '10.3.0.0/16'],
  ['qa', 'QA', '10.1.0.0/16'],
  ['staging', 'Staging', '10.2.0.0/16'],
  ['prod', 'Production', '10.0.0.0/16'],
];
const REPO_ROOT = resolve(__dirname, '../../..');
const SYNTH_APP = join(REPO_ROOT, 'packages/infra/bench/synthApp.ts');
const SIMULATED_MINUTES = 20;

const config = new ConfigReader({
  awsEnvironments: {
    environments: ENVIRONMENTS.map(([name, title, vpcCidr]) => ({
      name,
      title,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcCidr,
      promotion: { trigger: 'manual', reviewRequired: false },
    })),
  },
});

// ---- recording every SDK call the backend makes ----------------------------

interface CallRecord {
  operation: string;
  environment: string;
  start: number;
  end: number;
}

let recording: CallRecord[] | undefined;
const ENV_PATTERN = new RegExp(
  `${PROJECT}[-/](${ENVIRONMENTS.map(e => e[0]).join('|')})\\b`,
);

function environmentOf(input: unknown): string {
  return ENV_PATTERN.exec(JSON.stringify(input ?? {}))?.[1] ?? '?';
}

/** Wraps a client class's send() so that calls are recorded while `recording` is set. */
function recordCalls(Client: { prototype: unknown }) {
  const proto = Client.prototype as {
    send: (command: any, ...rest: unknown[]) => Promise<unknown>;
  };
  const send = proto.send;
  proto.send = function recordedSend(command: any, ...rest: unknown[]) {
    const target = recording;
    if (!target) {
      return send.call(this, command, ...rest);
    }
    const record: CallRecord = {
      operation: command.constructor.name.replace(/Command$/, ''),
      environment: environmentOf(command.input),
      start: performance.now(),
      end: NaN,
    };
    target.push(record);
    const done = () => {
      record.end = performance.now();
    };
    const promise = send.call(this, command, ...rest);
    promise.then(done, done);
    return promise;
  };
}

[
  ECSClient,
  SSMClient,
  CloudWatchClient,
  CloudWatchLogsClient,
  ApplicationAutoScalingClient,
  CloudFormationClient,
].forEach(recordCalls);

/** Longest run of calls where each starts after the previous one ended. */
function longestChain(calls: CallRecord[]): CallRecord[] {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const best: Array<{ length: number; previous?: number }> = [];
  for (let i = 0; i < sorted.length; i++) {
    best[i] = { length: 1 };
    for (let j = 0; j < i; j++) {
      if (sorted[j].end > sorted[i].start) continue;
      const previous = best[i].previous;
      // On a tie, the call that ended last is the likelier cause.
      if (
        best[j].length + 1 > best[i].length ||
        (best[j].length + 1 === best[i].length &&
          previous !== undefined &&
          sorted[j].end > sorted[previous].end)
      ) {
        best[i] = { length: best[j].length + 1, previous: j };
      }
    }
  }
  let at = best.reduce(
    (top, b, i) => (b.length > best[top].length ? i : top),
    0,
  );
  const chain: CallRecord[] = [];
  for (let i: number | undefined = at; i !== undefined; i = best[i].previous) {
    chain.unshift(sorted[i]);
    at = i;
  }
  return chain;
}

// ---- the backend, as the plugin wires it ----------------------------------

const logLines: string[] = [];
const logger: LoggerService = {
  error: m => logLines.push(`error ${m}`),
  warn: m => logLines.push(`warn ${m}`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

async function memoryCache(): Promise<CacheService> {
  const tester = ServiceFactoryTester.from(mockServices.cache.factory(), {
    dependencies: [
      mockServices.rootConfig.factory({
        data: { backend: { cache: { store: 'memory' } } },
      }),
    ],
  });
  return tester.getService(coreServices.cache, `latency-bench-${randomUUID()}`);
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: PROJECT,
    namespace: 'default',
    annotations: { [ANNOTATION_PROJECT]: PROJECT },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'devops-team' },
};

/** One set of SDK clients for all reads: warm connections, cold caches. */
let clients: AwsClientFactory;

/** A reader over a fresh (empty) cache namespace. */
async function coldReader(): Promise<EntityStatusReader> {
  const options = readStatusOptions(config);
  const cache = tolerantCache(await memoryCache(), logger);
  const service = new DefaultAwsEnvironmentsService({
    environments: readAwsEnvironments(config),
    options,
    cache,
    collector: new EnvironmentStatusCollector({
      clients,
      cache,
      logger,
      options,
    }),
  });
  const catalog = {
    getEntityByRef: async () => entity,
  } as unknown as CatalogService;
  const permissions = {
    authorize: async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  } as unknown as PermissionsService;
  return new EntityStatusReader({ catalog, permissions, service });
}

async function coldRead() {
  const reader = await coldReader();
  const calls: CallRecord[] = [];
  recording = calls;
  const started = performance.now();
  const response = await reader.read({
    entityRef: `component:default/${PROJECT}`,
    range: '1h',
    credentials: {
      principal: { type: 'user' },
    } as unknown as BackstageCredentials,
  });
  const wallMs = performance.now() - started;
  recording = undefined;
  return { wallMs, calls, response };
}

function checkResponse(response: EnvironmentStatusResponse) {
  const problems = response.environments.flatMap(e => [
    ...(e.service ? [] : [`${e.name}: no service`]),
    ...e.errors.map(x => `${e.name}: ${x.source} ${x.type} ${x.message}`),
  ]);
  if (problems.length > 0) {
    throw new Error(`status read failed:\n${problems.join('\n')}`);
  }
  return response.environments
    .map(e => `${e.name} ${e.health} (${e.tasks.length} tasks)`)
    .join(', ');
}

function summarize(calls: CallRecord[]) {
  const byEnvironment = new Map<string, CallRecord[]>();
  for (const call of calls) {
    const list = byEnvironment.get(call.environment) ?? [];
    list.push(call);
    byEnvironment.set(call.environment, list);
  }
  const perEnvironment = [...byEnvironment.entries()].map(([env, list]) => ({
    env,
    calls: list.length,
    chain: longestChain(list),
  }));
  const longest = perEnvironment.reduce((a, b) =>
    b.chain.length > a.chain.length ? b : a,
  );
  const byOperation: Record<string, number> = {};
  for (const call of calls) {
    byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
  }
  return { perEnvironment, longest, byOperation };
}

// ---- setting up the four environments in the sandbox -----------------------

function synthesize(): { outdir: string; stacks: string[] } {
  const scratch = mkdtempSync(join(tmpdir(), 'latency-bench-'));
  const outdir = join(scratch, 'cdk.out');
  const result = spawnSync(
    process.execPath,
    ['--require', '@backstage/cli/config/nodeTransform.cjs', SYNTH_APP, outdir],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`synthApp failed: ${result.stderr}`);
  }
  const manifest = JSON.parse(
    readFileSync(join(outdir, 'manifest.json'), 'utf8'),
  ) as { artifacts: Record<string, { type: string }> };
  const stacks = Object.entries(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id]) => id);
  return { outdir, stacks };
}

async function createEnvironments(url: string, advance: (s: number) => void) {
  const aws = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const cfn = new CloudFormationClient(aws);
  const ssm = new SSMClient(aws);
  const { outdir, stacks } = synthesize();
  await Promise.all(
    ENVIRONMENTS.map(([env]) =>
      ssm.send(
        new PutParameterCommand({
          Name: `/${PROJECT}/${env}/app-secret`,
          Type: 'SecureString',
          Value: randomUUID(),
        }),
      ),
    ),
  );
  await Promise.all(
    stacks.map(async stackName => {
      await cfn.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: readFileSync(
            join(outdir, `${stackName}.template.json`),
            'utf8',
          ),
          Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        }),
      );
      for (;;) {
        const { Stacks } = await cfn.send(
          new DescribeStacksCommand({ StackName: stackName }),
        );
        const status = Stacks?.[0]?.StackStatus ?? '';
        if (status === 'CREATE_COMPLETE') break;
        if (!status.endsWith('_IN_PROGRESS')) {
          throw new Error(
            `${stackName}: ${status} ${Stacks?.[0]?.StackStatusReason}`,
          );
        }
        await new Promise(r => setTimeout(r, 20));
      }
    }),
  );
  rmSync(resolve(outdir, '..'), { recursive: true, force: true });
  // Tasks start, deployments complete, tasks log once a minute.
  for (let i = 0; i < SIMULATED_MINUTES; i++) advance(60);
  return stacks;
}

// ---- main ----------------------------------------------------------------

async function main() {
  console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
  const sb = await startSandbox({
    port: 0,
    clock: 'manual',
    resourceDelayMs: 0,
    // Simulated time reaches the wall clock after the advance below, so
    // the backend's time windows (from Date.now()) hold the simulated data.
    startTime: Date.now() - SIMULATED_MINUTES * 60_000,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: 'AKIDSANDBOX',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  try {
    const setupStart = performance.now();
    const stacks = await createEnvironments(sb.url, s => sb.advance(s));
    console.log(
      `Created ${stacks.join(', ')} in ${(
        (performance.now() - setupStart) /
        1000
      ).toFixed(1)} s (synth in a child process + CreateStack)\n`,
    );

    clients = AwsClientFactory.fromConfig(config);
    // Warm-up: module loading, JIT, connections, the credential manager's
    // one GetCallerIdentity. Not measured.
    const warm = await coldRead();
    console.log(`Warm-up read: ${checkResponse(warm.response)}\n`);

    const rows: string[] = [];
    let detail = '';
    for (let run = 1; run <= RUNS; run++) {
      const fast = await coldRead();
      checkResponse(fast.response);
      const fault = sb.addFault({
        type: 'latency',
        service: '*',
        ms: LATENCY_MS,
      });
      let slow;
      try {
        slow = await coldRead();
      } finally {
        sb.clearFaults();
      }
      checkResponse(slow.response);
      const fastSummary = summarize(fast.calls);
      const s = summarize(slow.calls);
      const perEnv = s.perEnvironment.map(e => e.calls);
      const chains = s.perEnvironment.map(e => e.chain.length);
      rows.push(
        `| ${run} | ${fast.wallMs.toFixed(0)} ms | ${slow.wallMs.toFixed(
          0,
        )} ms | ${(slow.wallMs / LATENCY_MS).toFixed(2)} | ${(
          (slow.wallMs - fast.wallMs) /
          LATENCY_MS
        ).toFixed(2)} | ${slow.calls.length} (${
          fast.calls.length
        }) | ${Math.min(...perEnv)}–${Math.max(...perEnv)} | ${Math.max(
          ...chains,
        )} | ${s.longest.chain.length}: ${s.longest.chain
          .map(c => c.operation)
          .join(' → ')} |`,
      );
      if (run === 1) {
        detail = `Cold calls by operation (4 environments, slow read): ${Object.entries(
          s.byOperation,
        )
          .map(([op, n]) => `${op} ${n}`)
          .join(', ')}\nUnattributed calls: ${
          s.perEnvironment.find(e => e.env === '?')?.calls ?? 0
        }; fault id ${fault.id}; fast read ops: ${JSON.stringify(
          fastSummary.byOperation,
        )}`;
      }
    }
    console.log(
      `Cold read of 4 environments, without faults and with +${LATENCY_MS} ms on every AWS call\n`,
    );
    console.log(
      '| Run | Wall, no fault | Wall, +100 ms/call | Multiple (wall / 100 ms) | Added / 100 ms | Calls, slow (fast) | Calls per env | Longest chain | Chain |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    console.log(rows.join('\n'));
    console.log(`\n${detail}`);
    if (logLines.length > 0) {
      console.log(`\nBackend log:\n${logLines.join('\n')}`);
    }
  } finally {
    await sb.close();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
