/*
 * End to end: environments provisioned through the CDK deploy path of
 * @envplane/plugin-aws-environments-node into the local AWS sandbox, then
 * read by the production status path (DefaultAwsEnvironmentsService, the
 * collector, AwsClientFactory with DefaultAwsCredentialsManager from config)
 * with the sandbox reached only through AWS_ENDPOINT_URL. Faults and the
 * clock are driven through the sandbox's admin API, as a developer would.
 */
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import {
  EnvironmentStatus,
  METRIC_IDS,
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { deployEnvironmentStack } from '../__testUtils__/sandboxStacks';
import { capturingLogger, mapCache } from '../__testUtils__/testDoubles';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { readStatusOptions } from '../statusOptions';
import { DefaultAwsEnvironmentsService } from './AwsEnvironmentsService';
import { EnvironmentStatusCollector } from './EnvironmentStatusCollector';

const PROJECT = 'shop';
const ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'];
/** The app-secret's value: must never leave the backend. */
const CANARY = 'sandbox-canary-3f9b1d2e7a';
const IMAGE = 'registry.example.com/shop:1.0.0';

const baseConfig = {
  awsEnvironments: {
    environments: ENVIRONMENTS.map((name, i) => ({
      name,
      title: name,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcCidr: `10.${i}.0.0/16`,
      promotion: { trigger: 'manual', reviewRequired: false },
    })),
  },
};

function configWith(status: Record<string, number> = {}) {
  return new ConfigReader({
    awsEnvironments: { ...baseConfig.awsEnvironments, status },
  });
}

jest.setTimeout(120_000);

describe('environment status against the sandbox', () => {
  let sandbox: SandboxEndpoint;
  const logger = capturingLogger();
  /**
   * Lookups the collector caches for long (task definition images, the
   * stack's load balancer) outlive the short-lived status entries in
   * production; sharing one across reads while each read gets a fresh
   * status cache reproduces that.
   */
  const lookupCache = mapCache();
  const responses: string[] = [];

  async function admin(method: string, path: string, body?: unknown) {
    const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${await response.text()}`);
    }
    return response.json();
  }

  /**
   * The collector judges health by wall time, the sandbox stamps tasks with
   * its own clock: keep the simulated clock just behind wall time.
   */
  async function advanceToMinutesAgo(minutes: number) {
    const { epochMs } = await admin('GET', 'clock');
    const seconds = (Date.now() - minutes * 60_000 - epochMs) / 1000;
    if (seconds > 0) {
      await admin('POST', 'clock/advance', { seconds });
    }
  }

  const credentialsManager = () =>
    DefaultAwsCredentialsManager.fromConfig(configWith());

  /** Writes the app-secret and deploys the stack, as the scaffolder does. */
  async function deploy(name: string, image: string) {
    await deployEnvironmentStack({
      credentialsManager: credentialsManager(),
      environment: readAwsEnvironments(configWith()).find(
        e => e.name === name,
      )!,
      project: PROJECT,
      owner: 'group:default/shop-team',
      image,
      appSecret: CANARY,
      overwriteSecret: true,
      outdir: await mkdtemp(join(sandbox.workDir, `${name}-`)),
      logger: capturingLogger(),
    });
  }

  /** Reads all four environments the way the plugin does. */
  async function readAll(status: Record<string, number> = {}) {
    const config = configWith(status);
    const options = readStatusOptions(config);
    const service = new DefaultAwsEnvironmentsService({
      environments: readAwsEnvironments(config),
      options,
      cache: mapCache(),
      collector: new EnvironmentStatusCollector({
        clients: AwsClientFactory.fromConfig(config),
        cache: lookupCache,
        logger,
        options,
      }),
    });
    const started = Date.now();
    const statuses = await service.getProjectStatus({
      project: PROJECT,
      environments: ENVIRONMENTS,
      range: '1h',
    });
    responses.push(JSON.stringify(statuses));
    const byName = Object.fromEntries(statuses.map(s => [s.name, s]));
    return { statuses, byName, elapsedMs: Date.now() - started };
  }

  const running = (s: EnvironmentStatus) =>
    s.tasks.filter(t => t.lastStatus === 'RUNNING');
  const findingIds = (s: EnvironmentStatus) => s.findings.map(f => f.id);

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({
      // Starts in the past so the clock can be moved up to wall time.
      startTime: Date.now() - 3 * 3600_000,
      resourceDelayMs: 0,
      workDirPrefix: 'aws-env-status-test-',
    });

    await Promise.all(ENVIRONMENTS.map(name => deploy(name, IMAGE)));
    // Tasks start, deployments complete and logs accumulate.
    await advanceToMinutesAgo(50);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  afterEach(async () => {
    await admin('DELETE', 'faults');
  });

  it('reads running tasks, parameter metadata, metrics and logs of every environment', async () => {
    const { statuses } = await readAll();
    expect(statuses.map(s => [s.name, s.health, s.errors])).toEqual(
      ENVIRONMENTS.map(name => [name, 'healthy', []]),
    );
    for (const status of statuses) {
      const names = environmentResourceNames(PROJECT, status.name);
      expect(status.service).toMatchObject({
        serviceName: names.serviceName,
        status: 'ACTIVE',
        desiredCount: 2,
        runningCount: 2,
        image: IMAGE,
      });
      expect(status.service?.deployments[0]).toMatchObject({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
      });
      expect(running(status)).toHaveLength(2);
      expect(running(status)[0].containers[0]).toMatchObject({
        name: 'app',
        lastStatus: 'RUNNING',
      });
      expect(status.parameters).toContainEqual(
        expect.objectContaining({
          name: names.appSecretParameterName,
          type: 'SecureString',
          version: 1,
          lastModifiedUser: expect.stringContaining('000000000000'),
        }),
      );
      const cpu = status.metrics?.find(m => m.id === METRIC_IDS.cpuAverage);
      expect(cpu?.points.length).toBeGreaterThan(0);
      expect(status.logs?.length).toBeGreaterThan(0);
    }
  });

  it('gives a throttled environment a THROTTLED error and renders the others', async () => {
    // Warm the long-lived lookups, as earlier page views would have.
    await readAll();
    // A promotion gives qa a task definition revision nobody has looked up
    // yet; the sandbox's faults match an API operation in every
    // environment, so only the environment that must make the call can
    // be throttled by it.
    await admin('POST', 'clock/advance', { seconds: 60 });
    await deploy('qa', 'registry.example.com/shop:2.0.0');
    await advanceToMinutesAgo(40);
    await admin('POST', 'faults', {
      type: 'throttle',
      service: 'ecs',
      operation: 'DescribeTaskDefinition',
    });

    const { byName } = await readAll();
    expect(byName.qa.errors).toEqual([
      expect.objectContaining({ type: 'THROTTLED', source: 'ecs' }),
    ]);
    expect(byName.qa.errors[0].message).toContain('throttled by AWS');
    // What qa could read is still there.
    expect(running(byName.qa)).toHaveLength(2);
    expect(byName.qa.parameters.length).toBeGreaterThan(0);
    for (const name of ['test', 'staging', 'prod']) {
      expect(byName[name]).toMatchObject({ health: 'healthy', errors: [] });
      expect(byName[name].service?.image).toBe(IMAGE);
      expect(running(byName[name])).toHaveLength(2);
    }
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/Reading ecs of shop\/qa failed: THROTTLED/),
    );
  });

  it('completes under added latency within the time budget', async () => {
    await admin('POST', 'faults', { type: 'latency', service: '*', ms: 40 });
    const { statuses } = await readAll({ timeoutMs: 5000 });
    expect(statuses.map(s => [s.name, s.errors])).toEqual(
      ENVIRONMENTS.map(name => [name, []]),
    );
    expect(statuses.every(s => running(s).length === 2)).toBe(true);
  });

  it('cuts a source slower than the time budget short with a TIMEOUT error', async () => {
    const budgetMs = 1000;
    const latencyMs = 6000;
    await admin('POST', 'faults', {
      type: 'latency',
      service: 'cloudwatch',
      operation: 'GetMetricData',
      ms: latencyMs,
    });
    const { statuses, elapsedMs } = await readAll({ timeoutMs: budgetMs });
    for (const status of statuses) {
      expect(status.errors).toEqual([
        expect.objectContaining({ type: 'TIMEOUT', source: 'cloudwatch' }),
      ]);
      expect(status.metrics).toBeUndefined();
      // The sources that answered in time are kept.
      expect(running(status)).toHaveLength(2);
      expect(status.parameters.length).toBeGreaterThan(0);
    }
    // The budget, not the slow call, decides when the read ends.
    expect(elapsedMs).toBeLessThan(latencyMs);
  });

  it('reports a crash loop in one service only', async () => {
    const names = environmentResourceNames(PROJECT, 'staging');
    await admin('POST', 'faults', {
      type: 'crashloop',
      cluster: names.clusterName,
      service: names.serviceName,
    });
    await advanceToMinutesAgo(1);

    const { byName } = await readAll();
    expect(findingIds(byName.staging)).toContain('crash-looping');
    expect(byName.staging.health).toBe('unhealthy');
    const crashed = byName.staging.tasks.filter(
      t => t.stopCode === 'EssentialContainerExited',
    );
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed[0].containers[0].exitCode).toBe(1);
    for (const name of ['test', 'qa', 'prod']) {
      expect(findingIds(byName[name])).not.toContain('crash-looping');
      expect(byName[name].health).toBe('healthy');
    }
  });

  it('never lets the SecureString value out, in any response or log line', () => {
    expect(responses.length).toBeGreaterThanOrEqual(5);
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const text of [...responses, ...logger.lines]) {
      expect(text).not.toContain(CANARY);
    }
  });
});
