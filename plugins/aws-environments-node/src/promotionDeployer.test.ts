import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  Stack,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { provisioningInputsOf } from '@envplane/aws-environments-infra';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogger } from './__testUtils__/captureLogger';
import {
  DeployOutcome,
  DeployRequest,
  EnvironmentDeployer,
  StackDiffSummary,
} from './deployer';
import { createPromotionDeployer } from './promotionDeployer';

const config = new ConfigReader({
  awsEnvironments: {
    environments: [
      {
        name: 'qa',
        title: 'QA',
        accountId: '000000000000',
        region: 'us-east-1',
        vpcCidr: '10.1.0.0/16',
        promotion: { trigger: 'manual', reviewRequired: true },
      },
    ],
  },
});

const credentialsManager: AwsCredentialsManager = {
  async getCredentialProvider(opts) {
    return {
      accountId: opts?.accountId,
      sdkCredentialProvider: async () => ({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'not-a-real-key',
      }),
    };
  },
};

const RECORDED = provisioningInputsOf({
  project: 'devops-app',
  owner: 'group:default/devops-team',
  image: 'ignored',
  loadBalancer: true,
  minCapacity: 2,
  desiredCount: 2,
});

function stack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: 'devops-app-qa',
    StackId:
      'arn:aws:cloudformation:us-east-1:000000000000:stack/devops-app-qa/1',
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date(),
    Parameters: [
      { ParameterKey: 'ImageUri', ParameterValue: 'registry/app:1.0.0' },
      // Changed since provisioning (the recorded default is 2).
      { ParameterKey: 'DesiredCount', ParameterValue: '3' },
    ],
    Outputs: [
      { OutputKey: 'ClusterName', OutputValue: 'devops-app-qa-ecs-cluster' },
      {
        OutputKey: 'ProvisioningInputs',
        OutputValue: JSON.stringify(RECORDED),
      },
    ],
    ...overrides,
  };
}

/** Records requests; `behaviour` decides what a deployment does. */
class RecordingDeployer implements EnvironmentDeployer {
  readonly requests: DeployRequest[] = [];
  constructor(
    private readonly behaviour: (request: DeployRequest) => void = () => {},
  ) {}

  async deploy(request: DeployRequest): Promise<DeployOutcome> {
    this.requests.push(request);
    request.logger.info(
      'qa: resource 1 of 2: AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_IN_PROGRESS',
    );
    request.logger.debug('qa: synthesis chatter');
    this.behaviour(request);
    return { outputs: {} };
  }

  async diff(): Promise<StackDiffSummary> {
    throw new Error('a promotion never diffs');
  }
}

describe('createPromotionDeployer', () => {
  const cfn = mockClient(CloudFormationClient);
  let current: Stack | undefined;
  let events: StackEvent[];

  beforeEach(() => {
    cfn.reset();
    current = stack();
    events = [
      {
        StackId: 'x',
        StackName: 'devops-app-qa',
        EventId: 'before-1',
        Timestamp: new Date(),
      },
    ];
    cfn.on(DescribeStacksCommand).callsFake(() => {
      if (!current) {
        throw Object.assign(
          new Error('Stack with id devops-app-qa does not exist'),
          { name: 'ValidationError' },
        );
      }
      return { Stacks: [current] };
    });
    cfn
      .on(DescribeStackEventsCommand)
      .callsFake(() => ({ StackEvents: events }));
  });

  afterAll(() => cfn.restore());

  function promote(deployer: EnvironmentDeployer, environment = 'qa') {
    const logger = captureLogger();
    const progress: string[] = [];
    const result = createPromotionDeployer({
      config,
      credentialsManager,
      logger,
      deployer,
    }).deploy({
      project: 'devops-app',
      environment,
      image: 'registry/app:2.0.0',
      promotionId: 'p-1',
      onProgress: line => progress.push(line),
    });
    return result.then(outcome => ({ outcome, progress, logger }));
  }

  it('synthesizes the stack again from its recorded inputs with the new image', async () => {
    const deployer = new RecordingDeployer(() => {
      current = stack({
        Parameters: [
          { ParameterKey: 'ImageUri', ParameterValue: 'registry/app:2.0.0' },
          { ParameterKey: 'DesiredCount', ParameterValue: '3' },
        ],
      });
    });
    const { outcome, progress } = await promote(deployer);

    expect(outcome).toEqual({ ok: true });
    expect(deployer.requests).toHaveLength(1);
    const request = deployer.requests[0];
    expect(request).toMatchObject({
      stackName: 'devops-app-qa',
      artifactId: 'devops-app-qa',
      environment: { name: 'qa' },
      parameters: { ImageUri: 'registry/app:2.0.0', DesiredCount: '3' },
    });

    // What toolkit-lib would deploy: the recorded inputs, the new image.
    const assembly = request.synthesize({ outdir: `${request.outdir}-check` });
    const template = assembly.getStackArtifact(request.artifactId)
      .template as any;
    expect(template.Parameters.ImageUri.Default).toBe('registry/app:2.0.0');
    expect(JSON.parse(template.Outputs.ProvisioningInputs.Value)).toEqual(
      RECORDED,
    );
    expect(template.Outputs.LoadBalancerDnsName).toBeDefined();

    expect(progress).toEqual([
      'qa: deploying registry/app:2.0.0 to devops-app-qa (running registry/app:1.0.0)',
      'qa: resource 1 of 2: AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_IN_PROGRESS',
      'qa: devops-app-qa UPDATE_COMPLETE',
    ]);
  });

  it('returns the failing stack events, causes first, when the deployment rolls back', async () => {
    const deployer = new RecordingDeployer(() => {
      current = stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
      const event = (id: string, e: Partial<StackEvent>): StackEvent => ({
        StackId: 'x',
        StackName: 'devops-app-qa',
        EventId: id,
        Timestamp: new Date(),
        ...e,
      });
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
        event('run-1', {
          LogicalResourceId: 'devops-app-qa',
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
        }),
        ...events,
      ];
      throw new Error('The stack named devops-app-qa failed to deploy');
    });
    const { outcome, progress } = await promote(deployer);

    expect(outcome).toEqual({
      ok: false,
      reason: [
        'deploying registry/app:2.0.0 to devops-app-qa failed (UPDATE_ROLLBACK_COMPLETE); rolled back, qa keeps running registry/app:1.0.0:',
        'AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_FAILED: Invalid image reference',
        'AppService (AWS::ECS::Service) UPDATE_FAILED: Resource update cancelled',
      ].join('\n'),
    });
    expect(progress[progress.length - 1]).toBe(
      !outcome.ok ? outcome.reason : '',
    );
  });

  it('reports the toolkit error when there are no failing events', async () => {
    const { outcome } = await promote(
      new RecordingDeployer(() => {
        throw new Error('Template format error');
      }),
    );
    expect(outcome).toEqual({
      ok: false,
      reason:
        'deploying registry/app:2.0.0 to devops-app-qa failed (UPDATE_COMPLETE):\nTemplate format error',
    });
  });

  it('refuses when the stack does not exist', async () => {
    current = undefined;
    const deployer = new RecordingDeployer();
    const { outcome } = await promote(deployer);
    expect(outcome).toEqual({
      ok: false,
      reason:
        'stack devops-app-qa does not exist in 000000000000/us-east-1; provision qa first',
    });
    expect(deployer.requests).toHaveLength(0);
  });

  it('asks for a re-run of the wizard when the stack has no ProvisioningInputs output', async () => {
    current = stack({
      Outputs: [
        { OutputKey: 'ClusterName', OutputValue: 'devops-app-qa-ecs-cluster' },
      ],
    });
    const deployer = new RecordingDeployer();
    const { outcome } = await promote(deployer);
    expect(outcome).toEqual({
      ok: false,
      reason:
        'stack devops-app-qa was not provisioned by this version; re-run the wizard',
    });
    expect(deployer.requests).toHaveLength(0);
  });

  it.each([
    ['UPDATE_IN_PROGRESS', /is busy \(UPDATE_IN_PROGRESS\)/],
    ['ROLLBACK_COMPLETE', /is ROLLBACK_COMPLETE and cannot be updated/],
  ])('refuses a stack in %s', async (status, reason) => {
    current = stack({ StackStatus: status as Stack['StackStatus'] });
    const deployer = new RecordingDeployer();
    const { outcome } = await promote(deployer);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(reason);
    expect(deployer.requests).toHaveLength(0);
  });

  it('refuses a stack recorded for another project', async () => {
    current = stack({
      Outputs: [
        {
          OutputKey: 'ProvisioningInputs',
          OutputValue: JSON.stringify({ ...RECORDED, project: 'other-app' }),
        },
      ],
    });
    const { outcome } = await promote(new RecordingDeployer());
    expect(!outcome.ok && outcome.reason).toMatch(
      /belongs to project other-app, not devops-app/,
    );
  });

  it('refuses an environment that is not configured, without calling AWS', async () => {
    const { outcome } = await promote(new RecordingDeployer(), 'prod');
    expect(outcome).toEqual({
      ok: false,
      reason:
        'environment "prod" is not configured in awsEnvironments.environments',
    });
    expect(cfn.calls()).toHaveLength(0);
  });

  it('keeps deploying when onProgress throws', async () => {
    const deployer = new RecordingDeployer(() => {
      current = stack({
        Parameters: [
          { ParameterKey: 'ImageUri', ParameterValue: 'registry/app:2.0.0' },
        ],
      });
    });
    const logger = captureLogger();
    const outcome = await createPromotionDeployer({
      config,
      credentialsManager,
      logger,
      deployer,
    }).deploy({
      project: 'devops-app',
      environment: 'qa',
      image: 'registry/app:2.0.0',
      promotionId: 'p-2',
      onProgress: () => {
        throw new Error('database down');
      },
    });
    expect(outcome).toEqual({ ok: true });
    expect(logger.lines).toContain('warn progress not recorded: database down');
  });

  describe('inspect', () => {
    function inspect(image = 'registry/app:2.0.0') {
      return createPromotionDeployer({
        config,
        credentialsManager,
        logger: captureLogger(),
        deployer: new RecordingDeployer(),
      }).inspect!({ project: 'devops-app', environment: 'qa', image });
    }

    it('reports a stack still updating as in progress', async () => {
      current = stack({ StackStatus: 'UPDATE_IN_PROGRESS' });
      await expect(inspect()).resolves.toEqual({ state: 'in_progress' });
      current = stack({ StackStatus: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' });
      await expect(inspect()).resolves.toEqual({ state: 'in_progress' });
    });

    it('reports success when the stack completed with the image', async () => {
      current = stack({
        Parameters: [
          { ParameterKey: 'ImageUri', ParameterValue: 'registry/app:2.0.0' },
        ],
      });
      await expect(inspect()).resolves.toEqual({ state: 'succeeded' });
    });

    it('reports a completed stack running another image as failed', async () => {
      await expect(inspect()).resolves.toEqual({
        state: 'failed',
        reason:
          'the backend restarted during the deployment; devops-app-qa is UPDATE_COMPLETE but the stack still runs registry/app:1.0.0, not registry/app:2.0.0',
      });
    });

    it("reports a rollback with the latest operation's failing events", async () => {
      current = stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
      const event = (id: string, e: Partial<StackEvent>): StackEvent => ({
        StackId: 'x',
        StackName: 'devops-app-qa',
        EventId: id,
        Timestamp: new Date(),
        ...e,
      });
      events = [
        event('run-4', {
          LogicalResourceId: 'devops-app-qa',
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE',
        }),
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
        event('run-1', {
          LogicalResourceId: 'devops-app-qa',
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        }),
        // An earlier operation's failure is not this one's.
        event('old-1', {
          LogicalResourceId: 'AppListener',
          ResourceType: 'AWS::ElasticLoadBalancingV2::Listener',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'old failure',
        }),
      ];

      await expect(inspect()).resolves.toEqual({
        state: 'failed',
        reason: [
          'the backend restarted during the deployment; devops-app-qa is UPDATE_ROLLBACK_COMPLETE; the stack still runs registry/app:1.0.0:',
          'AppTaskDef (AWS::ECS::TaskDefinition) UPDATE_FAILED: Invalid image reference',
          'AppService (AWS::ECS::Service) UPDATE_FAILED: Resource update cancelled',
        ].join('\n'),
      });
    });

    it('reports a missing stack as failed and rejects when AWS cannot be read', async () => {
      current = undefined;
      await expect(inspect()).resolves.toMatchObject({
        state: 'failed',
        reason: expect.stringContaining(
          'stack devops-app-qa does not exist in 000000000000/us-east-1',
        ),
      });
      cfn.on(DescribeStacksCommand).rejects(new Error('AccessDenied'));
      await expect(inspect()).rejects.toThrow('AccessDenied');
    });
  });
});
