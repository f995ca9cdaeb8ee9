/*
 * Two accounts end to end (issue 16): a project's test environment lives in
 * account 111111111111 and its prod environment in 222222222222. The
 * backend gets credentials as in production, from the `aws` config
 * section (app-config.production.yaml's shape: the SDK's own credentials
 * as the main account, aws.accountDefaults.roleName assumed in every
 * environment account), so @backstage/integration-aws-node calls STS
 * AssumeRole at the sandbox for arn:aws:iam::<account>:role/<roleName>.
 * The stacks are deployed through the CDK deploy path (the scaffolder
 * module's own test, provisionAccounts.sandbox.test.ts, deploys them with
 * the action), then read through the plugin's HTTP status route. The
 * sandbox is reached only through AWS_ENDPOINT_URL.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import {
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_PROJECT,
  EnvironmentStatus,
  EnvironmentStatusResponse,
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import {
  deployEnvironmentStack,
  pollToolkitQuickly,
} from '../__testUtils__/sandboxStacks';
import { capturingLogger } from '../__testUtils__/testDoubles';
import plugin from '../index';

jest.setTimeout(120_000);
pollToolkitQuickly();

const PROJECT = 'shop';
const ROLE_NAME = 'backstage-aws-environments';
const ACCOUNTS: Record<string, string> = {
  test: '111111111111',
  prod: '222222222222',
};
const IMAGES: Record<string, string> = {
  test: 'registry.example.com/shop:2.0.0',
  prod: 'registry.example.com/shop:1.0.0',
};
const roleArn = (accountId: string) =>
  `arn:aws:iam::${accountId}:role/${ROLE_NAME}`;
/** The app-secret's value: must never leave the backend. */
const CANARY = 'sandbox-canary-accounts-4b8e2d';

const config = {
  aws: {
    // The SDK's credential chain: here the sandbox's ordinary key, which
    // acts in its default account 000000000000.
    mainAccount: {},
    accountDefaults: { roleName: ROLE_NAME },
  },
  awsEnvironments: {
    environments: ['test', 'prod'].map((name, i) => ({
      name,
      title: name,
      accountId: ACCOUNTS[name],
      region: 'us-east-1',
      vpcCidr: `10.${i}.0.0/16`,
      promotion: { trigger: 'manual', reviewRequired: false },
    })),
  },
};

const shop: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: {
      [ANNOTATION_PROJECT]: PROJECT,
      [ANNOTATION_ENVIRONMENTS]: 'test, prod',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

describe('two environments in two accounts against the sandbox', () => {
  let sandbox: SandboxEndpoint;

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

  /** Health is judged by wall time, tasks carry the sandbox's clock. */
  async function advanceToMinutesAgo(minutes: number) {
    const { epochMs } = await admin('GET', 'clock');
    const seconds = (Date.now() - minutes * 60_000 - epochMs) / 1000;
    if (seconds > 0) await admin('POST', 'clock/advance', { seconds });
  }

  /**
   * A backend of its own per read: its credentials are assumed afresh, as
   * after a restart (an assumed role's session outlives a change of roles,
   * in AWS as in the sandbox).
   */
  async function readStatus() {
    const logger = capturingLogger();
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({ data: config }),
        mockServices.scheduler.mock().factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => logger,
        }),
        catalogServiceMock.factory({ entities: [shop] }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    });
    const res = await request(server)
      .get(`/api/aws-environments/entity/default/component/shop/status`)
      .set({ Authorization: mockCredentials.user.header() });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
    const body = res.body as EnvironmentStatusResponse;
    expect(body.environments.map(e => e.name)).toEqual(['test', 'prod']);
    const byName = Object.fromEntries(body.environments.map(e => [e.name, e]));
    return { byName, logLines: logger.lines };
  }

  /** Where the parts of an environment's status were read from. */
  function origins(status: EnvironmentStatus) {
    const names = environmentResourceNames(PROJECT, status.name);
    return {
      health: status.health,
      errors: status.errors,
      service: status.service && {
        serviceName: status.service.serviceName,
        runningCount: status.service.runningCount,
        image: status.service.image,
      },
      // arn:aws:ecs:<region>:<account>:task/...
      runningTaskAccounts: status.tasks
        .filter(t => t.lastStatus === 'RUNNING')
        .map(t => t.taskArn.split(':')[4]),
      appSecretWrittenBy: status.parameters.find(
        p => p.name === names.appSecretParameterName,
      )?.lastModifiedUser,
    };
  }

  /** An environment read in full from its own account. */
  function fromItsAccount(name: string) {
    const accountId = ACCOUNTS[name];
    return {
      health: 'healthy',
      errors: [],
      service: {
        serviceName: environmentResourceNames(PROJECT, name).serviceName,
        runningCount: 2,
        image: IMAGES[name],
      },
      runningTaskAccounts: [accountId, accountId],
      // The deployment wrote it under the account's assumed role.
      appSecretWrittenBy: `arn:aws:sts::${accountId}:assumed-role/${ROLE_NAME}/backstage`,
    };
  }

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({
      // In the past, so the clock can be moved up to wall time.
      startTime: Date.now() - 3 * 3600_000,
      resourceDelayMs: 0,
      roles: Object.values(ACCOUNTS).map(roleArn),
      workDirPrefix: 'aws-env-accounts-test-',
    });
    const credentialsManager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(config),
    );
    await Promise.all(
      readAwsEnvironments(new ConfigReader(config)).map(async environment =>
        deployEnvironmentStack({
          credentialsManager,
          environment,
          project: PROJECT,
          owner: 'group:default/team-a',
          image: IMAGES[environment.name],
          appSecret: CANARY,
          outdir: await mkdtemp(join(sandbox.workDir, `${environment.name}-`)),
          logger: capturingLogger(),
        }),
      ),
    );
    await advanceToMinutesAgo(30);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("reads each environment's service from its own account", async () => {
    const { byName } = await readStatus();
    expect(origins(byName.test)).toEqual(fromItsAccount('test'));
    expect(origins(byName.prod)).toEqual(fromItsAccount('prod'));
  });

  it('shows an account whose role cannot be assumed as ACCESS_DENIED naming the account and role, and the other account in full', async () => {
    await admin('POST', 'roles', { roles: [roleArn(ACCOUNTS.test)] });
    try {
      const { byName, logLines } = await readStatus();
      expect(origins(byName.test)).toEqual(fromItsAccount('test'));

      const prod = byName.prod;
      expect(prod.error).toEqual({
        type: 'ACCESS_DENIED',
        source: 'ecs',
        message: expect.stringContaining(
          `AWS credentials for account 222222222222: access denied; the role ${roleArn(
            ACCOUNTS.prod,
          )} cannot be assumed: check that it exists in this account and trusts the AWS identity the Backstage backend runs as (AccessDenied: `,
        ),
      });
      // One error for the account, not one per source.
      expect(prod.errors).toEqual([prod.error]);
      expect(prod).toMatchObject({
        health: 'unknown',
        findings: [],
        tasks: [],
        parameters: [],
      });
      expect(prod.service).toBeUndefined();
      expect(logLines).toContainEqual(
        expect.stringContaining(
          `Reading ecs of ${PROJECT}/prod failed: ACCESS_DENIED`,
        ),
      );
    } finally {
      await admin('POST', 'roles', {
        roles: Object.values(ACCOUNTS).map(roleArn),
      });
    }
  });
});
