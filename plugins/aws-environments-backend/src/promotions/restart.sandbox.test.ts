/*
 * End to end: a backend instance stops in the middle of a promotion's
 * deployment, and another one finishes the request from the stack, with
 * the real deploy path (createPromotionDeployer, toolkit-lib, SDK clients)
 * against the local AWS sandbox, reached only through AWS_ENDPOINT_URL.
 */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import {
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { createPromotionDeployer } from '@envplane/plugin-aws-environments-node';
import { Knex } from 'knex';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deployEnvironmentStack,
  pollToolkitQuickly,
} from '../__testUtils__/sandboxStacks';
import { DEFAULT_LEASE_MS } from './PromotionProcessor';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionRequestStore } from './PromotionRequestStore';
import {
  ALICE,
  BOB,
  FakeStateReader,
  SHOP,
  createHarness,
  createTestDatabases,
  silentLogger,
  userCredentials,
} from './__testUtils__/promotionFixtures';

const OLD_IMAGE = 'registry.example.com/shop:1.0.0';
const NEW_IMAGE = 'registry.example.com/shop:2.0.0';
const names = environmentResourceNames('shop', 'qa');

const config = new ConfigReader({
  awsEnvironments: {
    environments: [
      ['test', '10.3.0.0/16', false],
      ['qa', '10.1.0.0/16', true],
    ].map(([name, vpcCidr, reviewRequired]) => ({
      name,
      title: name,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcCidr,
      promotion: { trigger: 'manual', reviewRequired },
    })),
    provisioning: { pollIntervalMs: 20 },
  },
});

/**
 * The stores of one backend instance, which stop answering once it
 * "crashed": every call after `crash()` rejects, as it would for a process
 * that is gone, so nothing the instance still had in flight reaches the
 * database.
 */
function crashableStores(knex: Knex) {
  let crashed = false;
  const crashable = <T extends object>(store: T): T =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') {
          return value;
        }
        return (...args: unknown[]) =>
          crashed
            ? Promise.reject(new Error('this backend instance has stopped'))
            : value.apply(target, args);
      },
    });
  return {
    requests: crashable(new PromotionRequestStore(knex)),
    leases: crashable(new PromotionLeaseStore(knex)),
    crash() {
      crashed = true;
    },
  };
}

jest.setTimeout(180_000);
pollToolkitQuickly();

describe('a backend restart in the middle of a promotion, against the sandbox', () => {
  const databases = createTestDatabases();
  let sandbox: SandboxEndpoint;
  let stateDir: string;
  /** The sandbox's state once qa runs OLD_IMAGE. */
  let provisionedState: string;
  let runs = 0;

  // Provisioning qa's 46 resources through toolkit-lib takes seconds and is
  // not what this is about: it runs once, and each test starts its own
  // sandbox from a copy of the state it left.
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'aws-env-restart-state-'));
    provisionedState = join(stateDir, 'provisioned.json');
    sandbox = await startSandboxEndpoint({
      stateFile: provisionedState,
      resourceDelayMs: 1,
      workDirPrefix: 'aws-env-restart-test-',
    });
    try {
      await provisionQa(OLD_IMAGE);
    } finally {
      await sandbox.close();
    }
  });

  afterAll(async () => {
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    runs += 1;
    const stateFile = join(stateDir, `run-${runs}.json`);
    await copyFile(provisionedState, stateFile);
    sandbox = await startSandboxEndpoint({
      stateFile,
      // Slow enough that the update is seen in progress when the first
      // instance stops.
      resourceDelayMs: 60,
      workDirPrefix: 'aws-env-restart-test-',
    });
  });

  afterEach(async () => {
    await sandbox?.close();
  });

  const credentialsManager = () =>
    DefaultAwsCredentialsManager.fromConfig(config);
  const cfn = () => new CloudFormationClient({ region: 'us-east-1' });
  const ecs = () => new ECSClient({ region: 'us-east-1' });

  /** Writes the app-secret and deploys qa's stack, as the scaffolder does. */
  async function provisionQa(image: string) {
    await deployEnvironmentStack({
      credentialsManager: credentialsManager(),
      environment: readAwsEnvironments(config).find(e => e.name === 'qa')!,
      project: 'shop',
      owner: 'group:default/team-a',
      image,
      appSecret: 'sandbox-secret',
      outdir: sandbox.workDir,
      logger: silentLogger(),
    });
  }

  async function stackStatus(): Promise<string | undefined> {
    const { Stacks } = await cfn().send(
      new DescribeStacksCommand({ StackName: names.stackName }),
    );
    return Stacks?.[0].StackStatus;
  }

  /** The stack's own events, all pages. */
  async function stackEvents(): Promise<StackEvent[]> {
    const events: StackEvent[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cfn().send(
        new DescribeStackEventsCommand({
          StackName: names.stackName,
          NextToken,
        }),
      );
      events.push(...(page.StackEvents ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return events.filter(e => e.LogicalResourceId === names.stackName);
  }

  /** The image the qa ECS service's current task definition runs. */
  async function runningImage(): Promise<string | undefined> {
    const { services } = await ecs().send(
      new DescribeServicesCommand({
        cluster: names.clusterName,
        services: [names.serviceName],
      }),
    );
    const { taskDefinition } = await ecs().send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: services?.[0].taskDefinition,
      }),
    );
    return taskDefinition?.containerDefinitions?.[0].image;
  }

  async function until(
    what: string,
    condition: () => Promise<boolean>,
    attempts = 600,
  ) {
    for (let i = 0; i < attempts; i++) {
      if (await condition()) {
        return;
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
    });

    it('loses nothing: another instance takes the deployment over after the lease and finishes it from the stack', async () => {
      expect(await runningImage()).toBe(OLD_IMAGE);
      const updatesBefore = (await stackEvents()).filter(
        e => e.ResourceStatus === 'UPDATE_IN_PROGRESS',
      ).length;

      // What runs in test is not what this is about; qa is real.
      const state = new FakeStateReader();
      state.set('test', NEW_IMAGE);
      const deployer = () =>
        createPromotionDeployer({
          config,
          credentialsManager: credentialsManager(),
          logger: silentLogger(),
        });

      const crashable = crashableStores(knex);
      const a = await createHarness({
        knex,
        config,
        state,
        processor: {
          instanceId: 'instance-a',
          requests: crashable.requests,
          leases: crashable.leases,
          deployer: deployer(),
        },
      });
      const requested = await a.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        userCredentials(ALICE),
      );
      expect(requested.status).toBe('pending_review');
      await a.service.approve(requested.id, 'ship it', userCredentials(BOB));

      // toolkit-lib reads the events newer than its change set; on the
      // manual clock they would otherwise share the provisioning's time.
      sandbox.advance(60);
      await a.processor.tick();
      await until(
        'the stack update to start',
        async () => (await stackStatus()) === 'UPDATE_IN_PROGRESS',
      );
      // Instance a stops: CloudFormation carries on, a writes nothing more.
      crashable.crash();
      const beforeCrash = await a.requests.events(requested.id);
      expect(beforeCrash.map(e => [e.action, e.actor])).toEqual(
        expect.arrayContaining([
          ['requested', ALICE],
          ['approved', BOB],
          ['deploy_started', 'instance-a'],
        ]),
      );

      let offsetMs = 30_000;
      const b = await createHarness({
        knex,
        config,
        state,
        migrate: false,
        processor: {
          instanceId: 'instance-b',
          deployer: deployer(),
          now: () => new Date(Date.now() + offsetMs),
        },
      });
      // Within the lease, a's claim stands although a is gone.
      await b.processor.tick();
      expect((await b.requests.get(requested.id))?.status).toBe('deploying');
      expect(
        (await b.requests.events(requested.id)).filter(
          e => e.actor === 'instance-b',
        ),
      ).toEqual([]);

      offsetMs = DEFAULT_LEASE_MS + 1000;
      await until(
        'instance b to finish the request',
        async () => {
          await b.processor.tick();
          return (await b.requests.get(requested.id))?.status !== 'deploying';
        },
        300,
      );

      const finished = await b.service.get(
        requested.id,
        userCredentials(ALICE),
      );
      expect(finished).toMatchObject({
        status: 'succeeded',
        image: NEW_IMAGE,
        requestedBy: ALICE,
        decision: { approved: true, by: BOB, comment: 'ship it' },
      });
      expect(await runningImage()).toBe(NEW_IMAGE);
      expect(await stackStatus()).toBe('UPDATE_COMPLETE');
      // Deployed once: b only read the stack, it started no update of its own.
      expect(
        (await stackEvents()).filter(
          e => e.ResourceStatus === 'UPDATE_IN_PROGRESS',
        ),
      ).toHaveLength(updatesBefore + 1);

      // The history up to the crash is intact, then b's take-over and close.
      const { events } = finished;
      expect(events.slice(0, beforeCrash.length)).toEqual(beforeCrash);
      const byB = events.filter(e => e.actor === 'instance-b');
      expect(byB.length).toBeGreaterThan(0);
      expect(byB[0].message).toContain('claimed by instance-a');
      expect(events.filter(e => e.action === 'deploy_started')).toHaveLength(1);
      expect(events[events.length - 1]).toMatchObject({
        action: 'succeeded',
        actor: 'instance-b',
        fromStatus: 'deploying',
        toStatus: 'succeeded',
        message: expect.stringContaining(
          'CloudFormation completed it while the backend restarted',
        ),
      });

      // a's deployment, still running in this process, ends without a trace.
      await a.processor.idle();
      expect(await b.requests.events(requested.id)).toEqual(events);
      expect((await b.requests.get(requested.id))?.status).toBe('succeeded');
    });
  });
});
