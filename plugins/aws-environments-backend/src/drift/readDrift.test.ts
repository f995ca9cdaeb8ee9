import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import {
  CANARY,
  awsError,
  awsMocks,
  resetAwsMocks,
} from '../__testUtils__/awsFixtures';
import { DriftReadOptions, readDrift } from './readDrift';

const STACK = 'shop-test';
const DETECTION = 'b9a3c0d0-drift-detection';

/** A clock the reader's waits move, so timing is exact and instant. */
function fakeTime(): DriftReadOptions & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    maxWaitMs: 60_000,
    pollMs: 1_000,
    maxPollMs: 8_000,
    waits,
    now: () => now,
    sleep: async ms => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** The detection answers `statuses` in turn, then the last one forever. */
function detection(...statuses: object[]) {
  awsMocks.cloudformation
    .on(DetectStackDriftCommand, { StackName: STACK })
    .resolves({ StackDriftDetectionId: DETECTION });
  let polls = 0;
  awsMocks.cloudformation
    .on(DescribeStackDriftDetectionStatusCommand, {
      StackDriftDetectionId: DETECTION,
    })
    .callsFake(() => statuses[Math.min(polls++, statuses.length - 1)]);
}

const inProgress = { DetectionStatus: 'DETECTION_IN_PROGRESS' };
const complete = (drifted: boolean) => ({
  DetectionStatus: 'DETECTION_COMPLETE',
  StackDriftStatus: drifted ? 'DRIFTED' : 'IN_SYNC',
  DriftedStackResourceCount: drifted ? 3 : 0,
});

const service: StackResourceDrift = {
  StackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/shop-test/1',
  LogicalResourceId: 'Service',
  PhysicalResourceId: 'shop-test-service',
  ResourceType: 'AWS::ECS::Service',
  StackResourceDriftStatus: 'MODIFIED',
  Timestamp: new Date(),
  ExpectedProperties: '{"DesiredCount":2}',
  ActualProperties: '{"DesiredCount":5}',
  PropertyDifferences: [
    {
      PropertyPath: '/DesiredCount',
      ExpectedValue: '2',
      ActualValue: '5',
      DifferenceType: 'NOT_EQUAL',
    },
  ],
};
const group: StackResourceDrift = {
  ...service,
  LogicalResourceId: 'TasksSecurityGroup',
  PhysicalResourceId: 'sg-0123',
  ResourceType: 'AWS::EC2::SecurityGroup',
  PropertyDifferences: [
    {
      PropertyPath: '/SecurityGroupIngress/1',
      ExpectedValue: 'null',
      ActualValue:
        '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}',
      DifferenceType: 'ADD',
    },
  ],
};
const logs: StackResourceDrift = {
  ...service,
  LogicalResourceId: 'LogGroup',
  PhysicalResourceId: '/ecs/shop-test',
  ResourceType: 'AWS::Logs::LogGroup',
  StackResourceDriftStatus: 'DELETED',
  ActualProperties: undefined,
  PropertyDifferences: undefined,
};

describe('readDrift', () => {
  const client = () => new CloudFormationClient({ region: 'us-east-1' });

  beforeEach(() => resetAwsMocks());

  it('polls until the detection completes, backing off, and reads nothing more when in sync', async () => {
    detection(inProgress, inProgress, inProgress, complete(false));
    const time = fakeTime();
    expect(await readDrift(client(), STACK, time)).toEqual({
      status: 'in_sync',
      driftedResourceCount: 0,
      resources: [],
    });
    expect(time.waits).toEqual([1_000, 2_000, 4_000]);
    expect(
      awsMocks.cloudformation.commandCalls(DescribeStackResourceDriftsCommand),
    ).toHaveLength(0);
  });

  it('pages the MODIFIED and DELETED resources with each property difference', async () => {
    detection(complete(true));
    awsMocks.cloudformation
      .on(DescribeStackResourceDriftsCommand)
      .callsFake(input =>
        input.NextToken === 'page-2'
          ? { StackResourceDrifts: [logs] }
          : { StackResourceDrifts: [service, group], NextToken: 'page-2' },
      );
    const reading = await readDrift(client(), STACK, fakeTime());
    const calls = awsMocks.cloudformation.commandCalls(
      DescribeStackResourceDriftsCommand,
    );
    expect(calls.map(c => c.args[0].input)).toEqual([
      expect.objectContaining({
        StackName: STACK,
        StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
      }),
      expect.objectContaining({ NextToken: 'page-2' }),
    ]);
    expect(reading).toEqual({
      status: 'drifted',
      driftedResourceCount: 3,
      resources: [
        {
          logicalId: 'LogGroup',
          physicalId: '/ecs/shop-test',
          resourceType: 'AWS::Logs::LogGroup',
          status: 'DELETED',
          differences: [],
        },
        {
          logicalId: 'Service',
          physicalId: 'shop-test-service',
          resourceType: 'AWS::ECS::Service',
          status: 'MODIFIED',
          differences: [
            {
              path: '/DesiredCount',
              expected: '2',
              actual: '5',
              differenceType: 'NOT_EQUAL',
            },
          ],
        },
        {
          logicalId: 'TasksSecurityGroup',
          physicalId: 'sg-0123',
          resourceType: 'AWS::EC2::SecurityGroup',
          status: 'MODIFIED',
          differences: [
            {
              path: '/SecurityGroupIngress/1',
              expected: 'null',
              actual:
                '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}',
              differenceType: 'ADD',
            },
          ],
        },
      ],
    });
  });

  it("reports an SSM parameter's changed value by path only, never the values", async () => {
    detection(complete(true));
    awsMocks.cloudformation.on(DescribeStackResourceDriftsCommand).resolves({
      StackResourceDrifts: [
        {
          ...service,
          LogicalResourceId: 'Secret',
          PhysicalResourceId: '/shop/test/app-config',
          ResourceType: 'AWS::SSM::Parameter',
          ExpectedProperties: `{"Value":"${CANARY}-old","Type":"String"}`,
          ActualProperties: `{"Value":"${CANARY}","Type":"String"}`,
          PropertyDifferences: [
            {
              PropertyPath: '/Value',
              ExpectedValue: `${CANARY}-old`,
              ActualValue: CANARY,
              DifferenceType: 'NOT_EQUAL',
            },
            {
              PropertyPath: '/Description',
              ExpectedValue: 'app config',
              ActualValue: 'edited by hand',
              DifferenceType: 'NOT_EQUAL',
            },
          ],
        },
      ],
    });
    const reading = await readDrift(client(), STACK, fakeTime());
    expect(JSON.stringify(reading)).not.toContain(CANARY);
    expect(reading.resources[0].differences).toEqual([
      { path: '/Value', differenceType: 'NOT_EQUAL', redacted: true },
      {
        path: '/Description',
        expected: 'app config',
        actual: 'edited by hand',
        differenceType: 'NOT_EQUAL',
      },
    ]);
  });

  it('gives up after the bounded wait with a message naming the stack', async () => {
    detection(inProgress);
    const time = fakeTime();
    const reading = await readDrift(client(), STACK, time);
    expect(reading.status).toBe('failed');
    expect(reading.error).toContain(
      `Drift detection of stack ${STACK} did not finish within 60 s`,
    );
    expect(time.waits.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(Math.max(...time.waits)).toBe(8_000);
  });

  it('turns AWS errors into a failed reading that says what AWS said', async () => {
    awsMocks.cloudformation
      .on(DetectStackDriftCommand)
      .rejects(
        awsError('ValidationError', `Stack with id ${STACK} does not exist`),
      );
    expect(await readDrift(client(), STACK, fakeTime())).toEqual({
      status: 'failed',
      driftedResourceCount: 0,
      resources: [],
      error: `Drift detection of stack ${STACK}: failed (ValidationError: Stack with id ${STACK} does not exist)`,
    });

    awsMocks.cloudformation
      .on(DetectStackDriftCommand)
      .rejects(awsError('AccessDenied', 'not authorized'));
    expect((await readDrift(client(), STACK, fakeTime())).error).toContain(
      'access denied; check the IAM policy',
    );
  });

  it('keeps a drift found by a detection that could not check everything, and fails one that found none', async () => {
    const reason = 'Failed to detect drift on resource [Target]';
    detection({
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: reason,
      StackDriftStatus: 'DRIFTED',
    });
    awsMocks.cloudformation
      .on(DescribeStackResourceDriftsCommand)
      .resolves({ StackResourceDrifts: [service] });
    const partial = await readDrift(client(), STACK, fakeTime());
    expect(partial).toMatchObject({
      status: 'drifted',
      driftedResourceCount: 1,
      error: `Drift detection of stack ${STACK} could not check every resource: ${reason}`,
    });

    resetAwsMocks();
    detection({
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: reason,
      StackDriftStatus: 'UNKNOWN',
    });
    expect(await readDrift(client(), STACK, fakeTime())).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(reason),
    });
  });
});
