/*
 * End to end against the local AWS sandbox: an environment's stack is
 * provisioned through the CDK deploy path, checked (in sync), changed out
 * of band as a console user would (ECS UpdateService, an EC2 ingress rule),
 * and checked again through the production path: DriftChecker with the
 * client factory from config, the store on SQLite, readDrift. The sandbox
 * is reached only through AWS_ENDPOINT_URL; its clock moves while the
 * checker waits for the detection.
 */
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import {
  EnvironmentDrift,
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import {
  deployEnvironmentStack,
  pollToolkitQuickly,
} from '../__testUtils__/sandboxStacks';
import { capturingLogger } from '../__testUtils__/testDoubles';
import { migratePromotionTables } from '../promotions/promotionTables';
import { DriftChecker } from './DriftChecker';
import { readDriftOptions } from './driftOptions';
import { DriftStore } from './DriftStore';

const PROJECT = 'shop';
/** The app-secret's value: must never appear in a drift result or log. */
const CANARY = 'sandbox-drift-canary-51c0e9';
const KEY = { project: PROJECT, environment: 'test' };
const names = environmentResourceNames(PROJECT, 'test');

const config = new ConfigReader({
  awsEnvironments: {
    environments: [
      {
        name: 'test',
        title: 'Test',
        accountId: '000000000000',
        region: 'us-east-1',
        vpcCidr: '10.3.0.0/16',
        promotion: { trigger: 'manual', reviewRequired: false },
      },
    ],
  },
});

jest.setTimeout(180_000);
pollToolkitQuickly();

describe('drift detection against the sandbox', () => {
  let sandbox: SandboxEndpoint;
  let checker: DriftChecker;
  const logger = capturingLogger();
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  /** Moves the sandbox's clock, which is what the detection waits on. */
  let waited = 0;
  async function advance(ms: number) {
    waited += ms;
    const response = await fetch(`${sandbox.url}/_sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: ms / 1000 }),
    });
    expect(response.status).toBe(200);
  }

  /** A check through the checker, as the button or the schedule runs it. */
  async function check(): Promise<EnvironmentDrift> {
    const result = await checker.start(KEY);
    expect(result).toMatchObject({
      started: true,
      drift: { status: 'checking' },
    });
    if (result.started) await result.done;
    const [drift] = await checker.read([KEY]);
    return drift;
  }

  /**
   * An ingress rule added by hand, sent as the AWS CLI sends it (EC2's
   * query protocol; the sandbox routes on the credential scope and does
   * not verify signatures): this package has no EC2 SDK client.
   */
  async function authorizeIngress(groupId: string) {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDSANDBOX/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(
          64,
        )}`,
      },
      body: new URLSearchParams({
        Action: 'AuthorizeSecurityGroupIngress',
        Version: '2016-11-15',
        GroupId: groupId,
        'IpPermissions.1.IpProtocol': 'tcp',
        'IpPermissions.1.FromPort': '22',
        'IpPermissions.1.ToPort': '22',
        'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0',
      }).toString(),
    });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({
      resourceDelayMs: 0,
      workDirPrefix: 'aws-env-drift-test-',
    });
    await deployEnvironmentStack({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      environment: readAwsEnvironments(config)[0],
      project: PROJECT,
      owner: 'group:default/shop-team',
      image: 'registry.example.com/shop:1.0.0',
      appSecret: CANARY,
      outdir: await mkdtemp(join(sandbox.workDir, 'test-')),
      logger: capturingLogger(),
    });
    const knex = await databases.init('SQLITE_3');
    await migratePromotionTables(knex);
    const options = readDriftOptions(config);
    checker = new DriftChecker({
      store: new DriftStore(knex),
      clients: AwsClientFactory.fromConfig(config),
      environments: () => readAwsEnvironments(config),
      logger,
      options: {
        ...options,
        // Two checks in a row here; the rate limit has tests of its own.
        minIntervalMs: 0,
        read: { ...options.read, pollMs: 1_000, sleep: advance },
      },
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('finds the provisioned stack in sync, then the out-of-band changes with their exact differences', async () => {
    const before = await check();
    expect(before).toMatchObject({
      environment: 'test',
      stackName: names.stackName,
      status: 'in_sync',
      driftedResourceCount: 0,
      resources: [],
      checkedAt: expect.any(String),
    });
    expect(before.error).toBeUndefined();
    // The detection took simulated seconds, which the checker waited out.
    expect(waited).toBeGreaterThan(0);

    // What someone does in the console: scale the service by hand and
    // open SSH to the tasks.
    await new ECSClient({}).send(
      new UpdateServiceCommand({
        cluster: names.clusterName,
        service: names.serviceName,
        desiredCount: 3,
      }),
    );
    const { StackResources } = await new CloudFormationClient({}).send(
      new DescribeStackResourcesCommand({ StackName: names.stackName }),
    );
    const groups = StackResources!.filter(
      r => r.ResourceType === 'AWS::EC2::SecurityGroup',
    );
    const tasksGroup = groups.find(g =>
      g.LogicalResourceId!.includes('TasksSecurityGroup'),
    )!;
    await authorizeIngress(tasksGroup.PhysicalResourceId!);

    const after = await check();
    expect(after.status).toBe('drifted');
    expect(after.error).toBeUndefined();
    expect(after.driftedResourceCount).toBe(2);
    const service = StackResources!.find(
      r => r.ResourceType === 'AWS::ECS::Service',
    )!;
    expect(after.resources).toEqual(
      [
        {
          logicalId: service.LogicalResourceId,
          physicalId: service.PhysicalResourceId,
          resourceType: 'AWS::ECS::Service',
          status: 'MODIFIED',
          differences: [
            {
              path: '/DesiredCount',
              expected: '2',
              actual: '3',
              differenceType: 'NOT_EQUAL',
            },
          ],
        },
        {
          logicalId: tasksGroup.LogicalResourceId,
          physicalId: tasksGroup.PhysicalResourceId,
          resourceType: 'AWS::EC2::SecurityGroup',
          status: 'MODIFIED',
          differences: [
            {
              // After the stack's two rules (the seed's HTTP and HTTPS).
              path: '/SecurityGroupIngress/2',
              expected: 'null',
              actual:
                '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}',
              differenceType: 'ADD',
            },
          ],
        },
      ].sort((a, b) => a.logicalId!.localeCompare(b.logicalId!)),
    );
    expect(after.checkedAt! > before.checkedAt!).toBe(true);
    expect(JSON.stringify([before, after])).not.toContain(CANARY);
    expect(logger.lines.join('\n')).not.toContain(CANARY);
    expect(logger.lines).toContainEqual(
      expect.stringContaining(
        'Drift check of shop/test: drifted (2 resources)',
      ),
    );
  });
});
