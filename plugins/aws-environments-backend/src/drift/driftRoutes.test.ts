import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  EntityDriftResponse,
  EnvironmentDrift,
  awsEnvironmentsDriftCheckPermission,
  awsEnvironmentsStatusReadPermission,
} from '@envplane/plugin-aws-environments-common';
import request from 'supertest';
import {
  ACCOUNT,
  CANARY,
  awsMocks,
  environmentsConfig,
  resetAwsMocks,
} from '../__testUtils__/awsFixtures';
import { fakePluginDependencies } from '../__testUtils__/pluginDependencies';
import plugin from '../index';
import { DRIFT_TASK_ID } from './index';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header() };
const URL = '/api/aws-environments/entity/default/component/shop/drift';

type ScheduledTask = SchedulerServiceTaskScheduleDefinition & {
  id: string;
  fn: () => Promise<void>;
};

/** shop-test: the service's desired count and its parameter's value changed. */
function seedDrift() {
  let detections = 0;
  awsMocks.cloudformation.on(DetectStackDriftCommand).callsFake(input => ({
    StackDriftDetectionId: `${input.StackName}-${++detections}`,
  }));
  awsMocks.cloudformation
    .on(DescribeStackDriftDetectionStatusCommand)
    .callsFake(input => {
      const drifted = input.StackDriftDetectionId.startsWith('shop-test-');
      return {
        DetectionStatus: 'DETECTION_COMPLETE',
        StackDriftStatus: drifted ? 'DRIFTED' : 'IN_SYNC',
      };
    });
  awsMocks.cloudformation
    .on(DescribeStackResourceDriftsCommand, { StackName: 'shop-test' })
    .resolves({
      StackResourceDrifts: [
        {
          StackId: 'shop-test',
          LogicalResourceId: 'Service',
          PhysicalResourceId: 'shop-test-service',
          ResourceType: 'AWS::ECS::Service',
          StackResourceDriftStatus: 'MODIFIED',
          Timestamp: new Date(),
          PropertyDifferences: [
            {
              PropertyPath: '/DesiredCount',
              ExpectedValue: '2',
              ActualValue: '5',
              DifferenceType: 'NOT_EQUAL',
            },
          ],
        },
        {
          StackId: 'shop-test',
          LogicalResourceId: 'ConfigParameter',
          PhysicalResourceId: '/shop/test/config',
          ResourceType: 'AWS::SSM::Parameter',
          StackResourceDriftStatus: 'MODIFIED',
          Timestamp: new Date(),
          ActualProperties: JSON.stringify({ Value: CANARY }),
          PropertyDifferences: [
            {
              PropertyPath: '/Value',
              ExpectedValue: 'x',
              ActualValue: CANARY,
              DifferenceType: 'NOT_EQUAL',
            },
          ],
        },
      ],
    });
}

const detected = () =>
  awsMocks.cloudformation
    .commandCalls(DetectStackDriftCommand)
    .map(c => c.args[0].input.StackName);

describe('drift routes', () => {
  const authorize = jest.fn();
  let tasks: ScheduledTask[];

  function decide(denied: string[] = []) {
    authorize.mockImplementation(
      async (requests: { permission: { name: string } }[]) =>
        requests.map(
          (r): PolicyDecision => ({
            result: denied.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          }),
        ),
    );
  }

  async function start(drift?: object) {
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({
          data: {
            awsEnvironments: { ...environmentsConfig.awsEnvironments, drift },
            // Static keys: the plugin's client factory reads credentials
            // from config; the SDK clients themselves are mocked.
            aws: {
              accounts: [
                {
                  accountId: ACCOUNT,
                  accessKeyId: 'AKIDEXAMPLE',
                  secretAccessKey: 'test-secret-key',
                },
              ],
            },
          },
        }),
        mockServices.permissions.mock({ authorize }).factory,
        mockServices.scheduler.mock({
          scheduleTask: async task => {
            tasks.push(task as ScheduledTask);
          },
        }).factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...fakePluginDependencies(),
      ],
    });
    return server;
  }

  /** The entity's drift once no environment is being checked. */
  async function settled(server: Parameters<typeof request>[0]) {
    for (let i = 0; i < 100; i++) {
      const res = await request(server).get(URL).set(auth);
      const body = res.body as EntityDriftResponse;
      if (!body.environments.some(e => e.status === 'checking')) {
        return body;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    throw new Error('still checking after 2 s');
  }

  beforeEach(() => {
    resetAwsMocks();
    seedDrift();
    authorize.mockReset();
    decide();
    tasks = [];
  });

  it('lists never-checked environments without calling AWS', async () => {
    const server = await start();
    const res = await request(server).get(URL).set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/shop',
      environments: ['test', 'qa'].map(environment => ({
        environment,
        stackName: `shop-${environment}`,
        status: 'not_checked',
        driftedResourceCount: 0,
        resources: [],
      })),
    });
    expect(detected()).toEqual([]);
  });

  it('checks on demand, shows the differences, and refuses a second check within the limit', async () => {
    const server = await start();
    const started = await request(server)
      .post(`${URL}?environment=test`)
      .set(auth);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      environment: 'test',
      status: 'checking',
      startedAt: expect.any(String),
    });

    const body = await settled(server);
    expect(detected()).toEqual(['shop-test']);
    const test = body.environments[0] as EnvironmentDrift;
    expect(test).toMatchObject({
      status: 'drifted',
      driftedResourceCount: 2,
      checkedAt: expect.any(String),
      nextCheckAllowedAt: expect.any(String),
    });
    expect(test.resources).toEqual([
      {
        logicalId: 'ConfigParameter',
        physicalId: '/shop/test/config',
        resourceType: 'AWS::SSM::Parameter',
        status: 'MODIFIED',
        differences: [
          { path: '/Value', differenceType: 'NOT_EQUAL', redacted: true },
        ],
      },
      expect.objectContaining({
        logicalId: 'Service',
        differences: [
          {
            path: '/DesiredCount',
            expected: '2',
            actual: '5',
            differenceType: 'NOT_EQUAL',
          },
        ],
      }),
    ]);
    expect(body.environments[1].status).toBe('not_checked');
    expect(JSON.stringify(body)).not.toContain(CANARY);

    const again = await request(server)
      .post(`${URL}?environment=test`)
      .set(auth);
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(290);
    expect(again.body.error.message).toMatch(
      /^Drift of shop\/test cannot be checked now: it was last checked at .+, and each environment may be checked once every 5 minutes\. It may run again at \d{4}-.+Z\.$/,
    );
    expect(JSON.stringify(again.body)).not.toContain(CANARY);
    // Another environment has a limit of its own.
    const qa = await request(server).post(`${URL}?environment=qa`).set(auth);
    expect(qa.status).toBe(202);
    expect((await settled(server)).environments[1].status).toBe('in_sync');
    expect(detected()).toEqual(['shop-test', 'shop-qa']);
  });

  it('refuses requests naming the field, and callers without the permissions', async () => {
    const server = await start();
    const missing = await request(server).post(URL).set(auth);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('"environment"');
    const foreign = await request(server)
      .post(`${URL}?environment=prod`)
      .set(auth);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain('"prod" is not one of');
    const unknown = await request(server)
      .post(
        '/api/aws-environments/entity/default/component/nope/drift?environment=test',
      )
      .set(auth);
    expect(unknown.status).toBe(404);

    decide([awsEnvironmentsDriftCheckPermission.name]);
    const denied = await request(server)
      .post(`${URL}?environment=test`)
      .set(auth);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('aws.environments.drift.check');
    // Reading results needs only the status permission.
    expect((await request(server).get(URL).set(auth)).status).toBe(200);

    decide([awsEnvironmentsStatusReadPermission.name]);
    const unread = await request(server).get(URL).set(auth);
    expect(unread.status).toBe(403);
    expect(unread.body.error.message).toContain(
      awsEnvironmentsStatusReadPermission.name,
    );
    expect(
      (await request(server).post(`${URL}?environment=test`).set(auth)).status,
    ).toBe(403);
    expect(detected()).toEqual([]);
    expect((await request(server).get(URL)).status).toBe(401);
  });

  it('checks every environment the catalog names on a global daily schedule, within the same limit', async () => {
    const server = await start();
    const task = tasks.find(t => t.id === DRIFT_TASK_ID)!;
    expect(task).toMatchObject({
      frequency: { hours: 24 },
      scope: 'global',
    });
    // A check on demand just now: the schedule leaves that one alone.
    await request(server).post(`${URL}?environment=qa`).set(auth);
    await settled(server);
    await task.fn();
    expect(detected().sort()).toEqual(['shop-qa', 'shop-test']);
    const body = await settled(server);
    expect(body.environments.map(e => e.status)).toEqual([
      'drifted',
      'in_sync',
    ]);
  });

  it('takes the schedule and the limit from config', async () => {
    const server = await start({ intervalHours: 6, minIntervalMinutes: 30 });
    expect(tasks.find(t => t.id === DRIFT_TASK_ID)).toMatchObject({
      frequency: { hours: 6 },
    });
    await request(server).post(`${URL}?environment=test`).set(auth);
    await settled(server);
    const again = await request(server)
      .post(`${URL}?environment=test`)
      .set(auth);
    expect(again.body.error.message).toContain('once every 30 minutes');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(29 * 60);
  });
});
