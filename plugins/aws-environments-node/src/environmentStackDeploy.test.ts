import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  Stack,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogger } from './__testUtils__/captureLogger';
import {
  DeployOutcome,
  DeployRequest,
  EnvironmentDeployer,
  StackDiffSummary,
} from './deployer';
import {
  deployEnvironmentStack,
  EnvironmentStackDeployRequest,
} from './environmentStackDeploy';

const ENVIRONMENT: AwsEnvironmentConfig = {
  name: 'qa',
  title: 'QA',
  accountId: '000000000000',
  region: 'us-east-1',
  vpcCidr: '10.1.0.0/16',
  promotion: { trigger: 'manual', reviewRequired: true },
} as AwsEnvironmentConfig;

const STACK_ID =
  'arn:aws:cloudformation:us-east-1:000000000000:stack/devops-app-qa/1';
const TAGS = [
  { Key: 'Project', Value: 'devops-app' },
  { Key: 'Environment', Value: 'qa' },
  { Key: 'CreatedBy', Value: 'backstage' },
];

function stack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: 'devops-app-qa',
    StackId: STACK_ID,
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date(),
    Tags: TAGS,
    Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'app:1' }],
    ...overrides,
  };
}

const event = (id: string, e: Partial<StackEvent> = {}): StackEvent => ({
  StackId: STACK_ID,
  StackName: 'devops-app-qa',
  EventId: id,
  Timestamp: new Date(),
  ...e,
});

/** Records every step; `during` plays CloudFormation while "deploying". */
class FakeDeployer implements EnvironmentDeployer {
  readonly requests: DeployRequest[] = [];
  constructor(
    private readonly steps: string[],
    private readonly during: () => void = () => {},
  ) {}

  async deploy(request: DeployRequest): Promise<DeployOutcome> {
    this.requests.push(request);
    this.steps.push('deploy');
    request.logger.info('qa: resource 1 of 1: AppService UPDATE_COMPLETE');
    this.during();
    return { outputs: { FromToolkit: 'toolkit', ClusterName: 'old' } };
  }

  async diff(): Promise<StackDiffSummary> {
    throw new Error('not used');
  }
}

describe('deployEnvironmentStack', () => {
  const cfn = mockClient(CloudFormationClient);
  let current: Stack | undefined;
  let events: StackEvent[];
  let steps: string[];

  beforeEach(() => {
    cfn.reset();
    current = stack();
    events = [event('before-1')];
    steps = [];
    cfn.on(DescribeStacksCommand).callsFake(input => {
      steps.push(`describe ${input.StackName}`);
      if (!current) {
        throw Object.assign(
          new Error(`Stack with id ${input.StackName} does not exist`),
          { name: 'ValidationError' },
        );
      }
      return { Stacks: [current] };
    });
    cfn.on(DescribeStackEventsCommand).callsFake(input => {
      steps.push(`events ${input.StackName}`);
      return { StackEvents: events };
    });
  });

  afterAll(() => cfn.restore());

  function request(
    deployer: EnvironmentDeployer,
    overrides: Partial<EnvironmentStackDeployRequest> = {},
  ): EnvironmentStackDeployRequest {
    return {
      deployer,
      cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
      credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 's' }),
      environment: ENVIRONMENT,
      project: 'devops-app',
      stackName: 'devops-app-qa',
      outdir: '/tmp/unused',
      logger: captureLogger(),
      plan: () => {
        steps.push('plan');
        return {
          artifactId: 'devops-app-qa',
          synthesize: () => {
            throw new Error('the fake deployer never synthesizes');
          },
          parameters: { ImageUri: 'app:2' },
        };
      },
      beforeDeploy: async () => {
        steps.push('beforeDeploy');
      },
      ...overrides,
    };
  }

  const updated = () => {
    current = stack({
      Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'app:2' }],
      Outputs: [{ OutputKey: 'ClusterName', OutputValue: 'devops-app-qa-ecs' }],
    });
  };

  it('plans, checks, remembers the newest event, prepares, deploys and reads the stack again', async () => {
    const deployer = new FakeDeployer(steps, updated);
    const logger = captureLogger();
    const result = await deployEnvironmentStack(request(deployer, { logger }));

    expect(result).toMatchObject({
      ok: true,
      existing: { StackStatus: 'UPDATE_COMPLETE' },
      stack: { StackStatus: 'UPDATE_COMPLETE' },
      outputs: { FromToolkit: 'toolkit', ClusterName: 'devops-app-qa-ecs' },
    });
    expect(steps).toEqual([
      'describe devops-app-qa',
      'plan',
      `events ${STACK_ID}`,
      'beforeDeploy',
      'deploy',
      `describe ${STACK_ID}`,
    ]);
    expect(deployer.requests[0]).toMatchObject({
      environment: { name: 'qa' },
      stackName: 'devops-app-qa',
      artifactId: 'devops-app-qa',
      parameters: { ImageUri: 'app:2' },
      logger,
    });
    // Progress goes through the caller's logger.
    expect(logger.lines).toEqual([
      'info qa: resource 1 of 1: AppService UPDATE_COMPLETE',
    ]);
  });

  it('creates a stack that does not exist, by name and without an earlier event', async () => {
    current = undefined;
    const plans: Array<Stack | undefined> = [];
    const deployer = new FakeDeployer(steps, () => {
      current = stack({ StackStatus: 'CREATE_COMPLETE', Parameters: [] });
    });
    const result = await deployEnvironmentStack(
      request(deployer, {
        plan: existing => {
          plans.push(existing);
          return {
            artifactId: 'devops-app-qa',
            synthesize: () => {
              throw new Error('unused');
            },
            parameters: {},
          };
        },
      }),
    );
    expect(result.ok).toBe(true);
    expect(plans).toEqual([undefined]);
    expect(steps).toEqual([
      'describe devops-app-qa',
      'beforeDeploy',
      'deploy',
      'describe devops-app-qa',
    ]);
  });

  it('refuses a stack with an operation in progress before planning', async () => {
    current = stack({ StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const deployer = new FakeDeployer(steps);
    await expect(deployEnvironmentStack(request(deployer))).rejects.toThrow(
      'stack devops-app-qa is busy (UPDATE_ROLLBACK_IN_PROGRESS); run again when it has finished',
    );
    expect(steps).toEqual(['describe devops-app-qa']);
  });

  it("refuses another project's stack after the plan, before any preparation", async () => {
    current = stack({ Tags: [{ Key: 'Project', Value: 'someone-else' }] });
    const deployer = new FakeDeployer(steps);
    await expect(deployEnvironmentStack(request(deployer))).rejects.toThrow(
      /is not tagged as devops-app\/qa created by backstage; refusing to change it/,
    );
    expect(steps).toEqual(['describe devops-app-qa', 'plan']);
  });

  it("passes the plan's refusal on", async () => {
    const deployer = new FakeDeployer(steps);
    await expect(
      deployEnvironmentStack(
        request(deployer, {
          plan: () => {
            throw new Error('no inputs recorded');
          },
        }),
      ),
    ).rejects.toThrow('no inputs recorded');
    expect(deployer.requests).toHaveLength(0);
  });

  it("reports a failed deployment with this run's failing events, causes first", async () => {
    const deployer = new FakeDeployer(steps, () => {
      current = stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
      events = [
        event('run-3', {
          LogicalResourceId: 'AppService',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Resource update cancelled',
        }),
        event('run-2', {
          LogicalResourceId: 'AppTaskDef',
          ResourceType: 'AWS::ECS::TaskDefinition',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Invalid image reference',
        }),
        ...events,
        event('old-1', {
          LogicalResourceId: 'Old',
          ResourceType: 'AWS::EC2::VPC',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'an earlier run',
        }),
      ];
      throw new Error('The stack named devops-app-qa failed to deploy');
    });
    const result = await deployEnvironmentStack(request(deployer));
    expect(result).toMatchObject({
      ok: false,
      status: 'UPDATE_ROLLBACK_COMPLETE',
      lastEventBefore: 'before-1',
      existing: { StackStatus: 'UPDATE_COMPLETE' },
      stack: { StackStatus: 'UPDATE_ROLLBACK_COMPLETE' },
      reason: [
        'AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_FAILED: Invalid image reference',
        'AppService (AWS::ECS::Service) UPDATE_FAILED: Resource update cancelled',
      ].join('\n'),
    });
    expect(!result.ok && (result.error as Error).message).toBe(
      'The stack named devops-app-qa failed to deploy',
    );
  });

  it("reports the deployer's error when no resource failed", async () => {
    const deployer = new FakeDeployer(steps, () => {
      throw new Error('Template format error');
    });
    const result = await deployEnvironmentStack(request(deployer));
    expect(result).toMatchObject({
      ok: false,
      status: 'UPDATE_COMPLETE',
      failures: [],
      reason: 'Template format error',
    });
  });

  it.each([
    [
      'unsettled',
      () => {
        current = stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
      },
      'the deployment ended but the stack is UPDATE_ROLLBACK_COMPLETE',
      'UPDATE_ROLLBACK_COMPLETE',
    ],
    [
      'gone',
      () => {
        current = undefined;
      },
      'the deployment ended but the stack is gone',
      'gone',
    ],
    [
      'with another parameter value',
      () => {},
      "the deployment ended but the stack's ImageUri is app:1",
      'UPDATE_COMPLETE',
    ],
  ])(
    'fails a deployment that left the stack %s',
    async (_label, during, reason, status) => {
      const result = await deployEnvironmentStack(
        request(new FakeDeployer(steps, during)),
      );
      expect(result).toMatchObject({ ok: false, reason, status });
    },
  );

  it('fails with status UNKNOWN when the stack cannot be read afterwards', async () => {
    const deployer = new FakeDeployer(steps, () => {
      cfn.on(DescribeStacksCommand).rejects(new Error('Throttling: slow down'));
    });
    const result = await deployEnvironmentStack(request(deployer));
    expect(result).toMatchObject({
      ok: false,
      status: 'UNKNOWN',
      reason: 'Throttling: slow down',
    });
  });
});
