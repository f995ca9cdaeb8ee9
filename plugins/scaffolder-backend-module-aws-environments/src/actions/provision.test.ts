import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockAws, ourTags } from '../__testUtils__/awsMocks';
import {
  actionContext,
  captureLogger,
  fakeCredentialsManager,
  FakeDeployer,
  SEED_CONFIG,
  seedConfig,
} from '../__testUtils__/fixtures';
import { createProvisionAction } from './provision';

const VALID = {
  project: 'devops-app',
  owner: 'group:default/devops-team',
  environments: ['test', 'qa'],
  image: 'public.ecr.aws/docker/library/python:3.12-slim',
};

const CANARY = 'canary-7f3a9c1e-do-not-leak';

describe('aws:environments:provision', () => {
  let aws: ReturnType<typeof mockAws>;
  let deployer: FakeDeployer;
  let credentials: ReturnType<typeof fakeCredentialsManager>;

  beforeEach(() => {
    aws = mockAws();
    deployer = new FakeDeployer();
    credentials = fakeCredentialsManager();
    // What CloudFormation would report once the deploy has finished.
    deployer.onDeploy = succeed;
  });
  afterEach(() => aws.reset());

  function succeed(request: {
    stackName: string;
    environment: { name: string };
  }) {
    const existed = aws.stacks.get(request.stackName);
    aws.putStack(
      request.stackName,
      existed ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
      {
        Tags: ourTags('devops-app', request.environment.name),
        Outputs: [
          {
            OutputKey: 'ClusterName',
            OutputValue: `${request.stackName}-ecs-cluster`,
          },
          {
            OutputKey: 'ServiceName',
            OutputValue: `${request.stackName}-service`,
          },
        ],
      },
    );
  }

  function makeAction(extra: object = {}) {
    return createProvisionAction({
      config: seedConfig(extra),
      credentialsManager: credentials.manager,
      deployer,
    });
  }

  function expectNoAwsCall() {
    expect(aws.cfn.calls()).toHaveLength(0);
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(credentials.calls).toHaveLength(0);
    expect(deployer.deployed).toHaveLength(0);
    expect(deployer.diffed).toHaveLength(0);
  }

  describe('rejects bad input before any AWS call, naming the field', () => {
    it.each(
      (
        [
          ['project', { project: 'Devops_App' }],
          ['project', { project: 'ab' }],
          ['project', { project: 'a-very-long-project-name-indeed' }],
          ['project', { project: 'devops--app' }],
          ['project', { project: undefined }],
          ['owner', { owner: 'devops-team' }],
          ['owner', { owner: 'component:default/x' }],
          ['environments', { environments: [] }],
          ['environments', { environments: ['dev'] }],
          ['environments', { environments: ['test', 'test'] }],
          ['environments', { environments: 'test' }],
          ['image', { image: '' }],
          ['image', { image: 'not an image' }],
          ['image', { image: 'UPPER/case:tag' }],
          ['image', { image: 'repo:tag with space' }],
          ['image', { image: 'https://example.com/app:1' }],
          ['image', { image: 'app:' }],
          ['image', { image: 'app@sha256:123' }],
          ['desiredCount', { desiredCount: 0 }],
          ['desiredCount', { desiredCount: 11 }],
          ['desiredCount', { desiredCount: 1.5 }],
          ['minCapacity', { minCapacity: 0 }],
          ['maxCapacity', { maxCapacity: 20 }],
          ['maxCapacity', { minCapacity: 5, maxCapacity: 3, desiredCount: 4 }],
          ['desiredCount', { minCapacity: 2, maxCapacity: 4, desiredCount: 5 }],
          ['loadBalancer', { loadBalancer: 'yes' }],
          ['description', { description: 'long '.repeat(101) }],
          // Not an input (the action reads the task secret appSecret), nor
          // is a misspelt field.
          ['secret', { secret: 'given-as-input' }],
          ['desiredcount', { desiredcount: 2 }],
          ['confirmProd', { environments: ['qa', 'prod'] }],
          ['confirmProd', { environments: ['prod'], confirmProd: false }],
        ] as Array<[string, object]>
      ).map(
        ([field, override]) =>
          [field, JSON.stringify(override).slice(0, 60), override] as const,
      ),
    )('%s: %s', async (field, _label, override) => {
      const action = makeAction();
      const logger = captureLogger();
      const ctx = actionContext({ input: { ...VALID, ...override }, logger });
      const error = await action.handler(ctx as any).catch(e => e);
      expect(error).toMatchObject({ name: 'InputError' });
      expect(error.message).toMatch(
        new RegExp(`^Invalid input: (.*; )?${field}(\\.\\d+)?: `),
      );
      // The scaffolder writes the stack into the task log: one line.
      expect(error.stack).toBe(`InputError: ${error.message}`);
      expect(error.message).not.toContain('\n');
      expectNoAwsCall();
    });

    describe('load balancer names (AWS allows 32 characters)', () => {
      // The seed's longest environment, staging, leaves exactly 32 for a
      // 20-character project; a longer configured name does not.
      const [test, ...rest] = SEED_CONFIG.awsEnvironments.environments;
      const withIntegration = {
        awsEnvironments: {
          ...SEED_CONFIG.awsEnvironments,
          environments: [
            test,
            { ...test, name: 'integration', title: 'Integration' },
            ...rest,
          ],
        },
      };
      const project = 'a-project-named-long'; // 20, the most allowed

      it('rejects a name over the limit, naming project, before any AWS call', async () => {
        const ctx = actionContext({
          input: {
            ...VALID,
            project,
            environments: ['test', 'integration'],
            loadBalancer: true,
          },
          logger: captureLogger(),
        });
        const error = await makeAction(withIntegration)
          .handler(ctx as any)
          .catch(e => e);
        expect(error.name).toBe('InputError');
        expect(error.message).toBe(
          'Invalid input: project: with loadBalancer, the load balancer name "a-project-named-long-integration-alb" would be 36 characters and AWS allows 32; use at most 16 characters for the project in integration',
        );
        expectNoAwsCall();
      });

      it.each([
        ['without a load balancer', withIntegration, 'integration', false],
        ['at exactly 32 characters', {}, 'staging', true],
      ])('accepts the same project %s', async (_label, config, env, alb) => {
        await makeAction(config).handler(
          actionContext({
            input: {
              ...VALID,
              project,
              environments: [env],
              loadBalancer: alb,
            },
            logger: captureLogger(),
          }) as any,
        );
        expect(deployer.deployed.map(d => d.stackName)).toEqual([
          `${project}-${env}`,
        ]);
      });
    });

    it('never echoes the secret in a validation error', async () => {
      const action = makeAction();
      const ctx = actionContext({
        input: VALID,
        secrets: { appSecret: `${CANARY}${'x'.repeat(4096)}` },
        logger: captureLogger(),
      });
      const error = await action.handler(ctx as any).catch(e => e);
      expect(error.message).toMatch(/^Invalid input: secrets\.appSecret: /);
      expect(error.message).not.toContain(CANARY);
      expect(error.stack).not.toContain(CANARY);
      expectNoAwsCall();
    });

    it('refuses a secret given as an input without echoing it', async () => {
      const ctx = actionContext({
        input: { ...VALID, secret: CANARY },
        logger: captureLogger(),
      });
      const error = await makeAction()
        .handler(ctx as any)
        .catch(e => e);
      expect(error.message).toBe(
        'Invalid input: secret: is not an input of this action',
      );
      expectNoAwsCall();
    });

    it('rejects a whitespace-only task secret', async () => {
      const ctx = actionContext({
        input: VALID,
        secrets: { appSecret: '   ' },
        logger: captureLogger(),
      });
      await expect(makeAction().handler(ctx as any)).rejects.toThrow(
        /^Invalid input: secrets\.appSecret: /,
      );
      expectNoAwsCall();
    });
  });

  it.each([
    'public.ecr.aws/docker/library/python:3.12-slim',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3',
    'nginx',
    'localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'ghcr.io/org/my_app:v1',
  ])('accepts the image %s', async image => {
    const ctx = actionContext({
      input: { ...VALID, environments: ['test'], image },
      logger: captureLogger(),
      isDryRun: true,
    });
    await expect(makeAction().handler(ctx as any)).resolves.toBeUndefined();
  });

  it('dry run: reports what would be created or changed, deploys nothing, writes no secret', async () => {
    aws.putStack('devops-app-qa', 'CREATE_COMPLETE', {
      Tags: ourTags('devops-app', 'qa'),
    });
    const logger = captureLogger();
    const ctx = actionContext({
      input: { ...VALID, loadBalancer: true },
      secrets: { appSecret: CANARY },
      logger,
      isDryRun: true,
    });
    await makeAction().handler(ctx as any);

    expect(deployer.deployed).toHaveLength(0);
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(deployer.diffed.map(d => d.stackName)).toEqual(['devops-app-qa']);
    const environments = outputOf(ctx, 'environments');
    expect(environments.map((e: any) => [e.name, e.status])).toEqual([
      ['test', 'WOULD_CREATE'],
      ['qa', 'WOULD_UPDATE'],
    ]);
    expect(environments[0].resourceCountsByType).toMatchObject({
      'AWS::EC2::VPC': 1,
      'AWS::EC2::Subnet': 6,
      'AWS::EC2::NatGateway': 3,
      'AWS::ECS::Service': 1,
      'AWS::ElasticLoadBalancingV2::LoadBalancer': 1,
    });
    expect(environments[1].changes).toEqual({
      add: 1,
      remove: 0,
      update: 2,
      replace: 0,
    });
    const log = logger.lines.join('\n');
    expect(log).toMatch(
      /test: would create devops-app-test with \d+ resources/,
    );
    expect(log).toMatch(
      /qa: would update devops-app-qa: 1 to add, 2 to update/,
    );
    expect(log).not.toMatch(/(ECS service|CloudFormation stack) https:/);
    expect(JSON.stringify(outputsOf(ctx))).not.toContain(CANARY);
    expect(log).not.toContain(CANARY);
  });

  it('creates the stacks, writes the SecureStrings and outputs links and entities', async () => {
    const logger = captureLogger();
    const ctx = actionContext({
      input: VALID,
      secrets: { appSecret: CANARY },
      logger,
    });
    await makeAction().handler(ctx as any);

    expect(deployer.deployed.map(d => d.stackName).sort()).toEqual([
      'devops-app-qa',
      'devops-app-test',
    ]);
    const request = deployer.deployed[0];
    expect(request.parameters).toEqual({
      ImageUri: VALID.image,
      DesiredCount: '1',
    });
    // The deployer gets a builder that synthesizes exactly its stack.
    expect(request.artifactId).toBe(request.stackName);

    const puts = aws.ssm
      .commandCalls(PutParameterCommand)
      .map(c => c.args[0].input);
    expect(puts.map(p => [p.Name, p.Type, p.Value])).toEqual(
      expect.arrayContaining([
        ['/devops-app/test/app-secret', 'SecureString', CANARY],
        ['/devops-app/qa/app-secret', 'SecureString', CANARY],
      ]),
    );
    expect(puts[0].Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Owner', Value: 'group:default/devops-team' },
      ]),
    );

    const environments = outputOf(ctx, 'environments');
    const test = environments.find((e: any) => e.name === 'test');
    expect(test).toMatchObject({
      stackName: 'devops-app-test',
      status: 'CREATE_COMPLETE',
      operation: 'create',
      clusterName: 'devops-app-test-ecs-cluster',
      serviceName: 'devops-app-test-service',
      serviceUrl:
        'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/devops-app-test-ecs-cluster/services/devops-app-test-service?region=us-east-1',
      serviceArn:
        'arn:aws:ecs:us-east-1:000000000000:service/devops-app-test-ecs-cluster/devops-app-test-service',
    });
    expect(test.stackUrl).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=us-east-1#\/stacks\/stackinfo\?stackId=devops-app-test$/,
    );
    expect(outputOf(ctx, 'links')).toHaveLength(4);
    const entities = outputOf(ctx, 'entities');
    expect(entities.map((e: any) => `${e.kind}:${e.metadata.name}`)).toEqual([
      'System:devops-app',
      'Component:devops-app',
      'Resource:devops-app-test',
      'Resource:devops-app-qa',
    ]);

    // Never in logs or outputs.
    expect(logger.lines.join('\n')).not.toContain(CANARY);
    expect(JSON.stringify(outputsOf(ctx))).not.toContain(CANARY);
    expect(logger.lines.join('\n')).toMatch(/resource 1 of 1/);
    // The console links close the log, one pair per environment.
    expect(logger.lines.slice(-6)).toEqual([
      'info test: devops-app-test CREATE_COMPLETE, cluster devops-app-test-ecs-cluster, service devops-app-test-service',
      `info test: ECS service ${test.serviceUrl}`,
      `info test: CloudFormation stack ${test.stackUrl}`,
      'info qa: devops-app-qa CREATE_COMPLETE, cluster devops-app-qa-ecs-cluster, service devops-app-qa-service',
      expect.stringMatching(
        /^info qa: ECS service https:\/\/.*devops-app-qa-service/,
      ),
      expect.stringMatching(
        /^info qa: CloudFormation stack https:\/\/.*stackId=devops-app-qa$/,
      ),
    ]);
  });

  it('takes the task secret appSecret, and generates one when it is empty or absent', async () => {
    await makeAction().handler(
      actionContext({
        input: { ...VALID, environments: ['test'] },
        secrets: { appSecret: CANARY },
        logger: captureLogger(),
      }) as any,
    );
    expect(aws.parameters.get('/devops-app/test/app-secret')?.value).toBe(
      CANARY,
    );

    // The wizard's Secret field typed into and emptied again sends ''.
    for (const [env, secrets] of [
      ['qa', { appSecret: '' }],
      ['staging', {}],
    ] as const) {
      await makeAction().handler(
        actionContext({
          input: { ...VALID, environments: [env] },
          secrets,
          logger: captureLogger(),
        }) as any,
      );
      const generated = aws.parameters.get(`/devops-app/${env}/app-secret`);
      expect(generated?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('updates in place on a re-run: same stacks, overwritten secret, no duplicates', async () => {
    const run = (input: object, appSecret?: string) =>
      makeAction().handler(
        actionContext({
          input: { ...VALID, ...input },
          secrets: appSecret ? { appSecret } : undefined,
          logger: captureLogger(),
        }) as any,
      );
    await run({}, 'first');
    await run(
      { image: 'public.ecr.aws/docker/library/python:3.13-slim' },
      'second',
    );
    await run({}); // no secret given: the existing one is kept

    expect(deployer.deployed.map(d => d.stackName).sort()).toEqual([
      'devops-app-qa',
      'devops-app-qa',
      'devops-app-qa',
      'devops-app-test',
      'devops-app-test',
      'devops-app-test',
    ]);
    expect([...aws.stacks.keys()].sort()).toEqual([
      'devops-app-qa',
      'devops-app-test',
    ]);
    expect(aws.stacks.get('devops-app-test')?.StackStatus).toBe(
      'UPDATE_COMPLETE',
    );
    expect(deployer.deployed[2].parameters.ImageUri).toBe(
      'public.ecr.aws/docker/library/python:3.13-slim',
    );
    expect(aws.parameters.get('/devops-app/test/app-secret')?.value).toBe(
      'second',
    );
    const overwrites = aws.ssm
      .commandCalls(PutParameterCommand)
      .filter(c => c.args[0].input.Overwrite);
    expect(overwrites).toHaveLength(2);
    // SSM refuses tags together with Overwrite.
    expect(overwrites.every(c => c.args[0].input.Tags === undefined)).toBe(
      true,
    );
  });

  it('on failure reports the failing events and deletes the SecureString it created', async () => {
    deployer.onDeploy = request => {
      if (request.environment.name !== 'qa') {
        succeed(request);
        return;
      }
      aws.putStack(request.stackName, 'ROLLBACK_COMPLETE', {
        Tags: ourTags('devops-app', request.environment.name),
      });
      aws.addEvents(
        request.stackName,
        {
          LogicalResourceId: request.stackName,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_IN_PROGRESS',
        },
        {
          LogicalResourceId: 'NetworkVpc7FB7348F',
          ResourceType: 'AWS::EC2::VPC',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'The maximum number of VPCs has been reached.',
        },
        {
          LogicalResourceId: 'AppCluster',
          ResourceType: 'AWS::ECS::Cluster',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'Resource creation cancelled',
        },
        {
          LogicalResourceId: request.stackName,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'ROLLBACK_COMPLETE',
        },
      );
    };
    deployer.failFor.set(
      'qa',
      new Error('The stack named devops-app-qa failed creation'),
    );
    const logger = captureLogger();
    const ctx = actionContext({
      input: VALID,
      secrets: { appSecret: CANARY },
      logger,
    });
    const error = await makeAction()
      .handler(ctx as any)
      .catch(e => e);

    expect(error.message).toContain('Provisioning failed for qa');
    expect(error.message).toContain(
      'NetworkVpc7FB7348F (AWS::EC2::VPC) CREATE_FAILED: The maximum number of VPCs has been reached.',
    );
    expect(error.message).toContain('ROLLBACK_COMPLETE');
    expect(error.message).toContain('removed /devops-app/qa/app-secret');
    // The root cause comes before the knock-on cancellation.
    expect(error.message.indexOf('NetworkVpc')).toBeLessThan(
      error.message.indexOf('Resource creation cancelled'),
    );
    expect(error.message).not.toContain(CANARY);
    expect(aws.parameters.has('/devops-app/qa/app-secret')).toBe(false);
    // test succeeded and keeps its secret; its results are still output.
    expect(aws.parameters.has('/devops-app/test/app-secret')).toBe(true);
    const environments = outputOf(ctx, 'environments');
    expect(environments.map((e: any) => [e.name, e.status])).toEqual([
      ['test', 'CREATE_COMPLETE'],
      ['qa', 'FAILED'],
    ]);
    // Console links only for the environment that exists.
    const linkLines = logger.lines.filter(l =>
      /: (ECS service|CloudFormation stack) https:/.test(l),
    );
    expect(linkLines).toHaveLength(2);
    expect(linkLines.every(l => l.startsWith('info test: '))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(CANARY);
  });

  it('without failing events, reports the toolkit error cleaned of emoji, colours, paths and traces', async () => {
    deployer.onDeploy = request =>
      aws.putStack(request.stackName, 'ROLLBACK_COMPLETE', {
        Tags: ourTags('devops-app', request.environment.name),
      });
    const noisy = new Error(
      [
        '\u001b[1m❌  devops-app-test\u001b[22m failed: DeploymentError: Resource updates failed:',
        'devops-app-test/App/Cluster/Resource  (AWS::ECS::Cluster AppCluster)',
        '  Cluster quota exceeded',
        'Source Location: new ServiceConstruct (/repo/packages/infra/src/service.ts:74:20)',
        '                 /repo/packages/infra/src/synth.ts:77 (:)',
        '    at deploy (/repo/node_modules/@aws-cdk/toolkit-lib/lib/toolkit/toolkit.js:1025:23)',
      ].join('\n'),
    );
    deployer.failFor.set('test', noisy);
    const logger = captureLogger();
    const error = await makeAction()
      .handler(
        actionContext({
          input: { ...VALID, environments: ['test'] },
          secrets: { appSecret: CANARY },
          logger,
        }) as any,
      )
      .catch(e => e);
    expect(error.message).toBe(
      [
        'Provisioning failed for test:',
        'test: devops-app-test ROLLBACK_COMPLETE; removed /devops-app/test/app-secret, which this run had created:',
        'devops-app-test failed: DeploymentError: Resource updates failed:',
        'devops-app-test/App/Cluster/Resource  (AWS::ECS::Cluster AppCluster)',
        '  Cluster quota exceeded',
      ].join('\n'),
    );
    const errorLines = logger.lines.filter(l => l.startsWith('error '));
    for (const text of [error.message, errorLines.join('\n')]) {
      expect(text).not.toMatch(/\/repo\/|node_modules|\.[jt]s:\d+/);
      expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain(CANARY);
    }
  });

  it('keeps the SecureString of an existing stack whose update failed', async () => {
    aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    aws.addEvents('devops-app-test', {
      LogicalResourceId: 'Old',
      ResourceType: 'AWS::EC2::VPC',
      ResourceStatus: 'CREATE_FAILED',
      ResourceStatusReason: 'an old failure that is not this run’s',
    });
    aws.parameters.set('/devops-app/test/app-secret', { value: 'existing' });
    deployer.onDeploy = request => {
      aws.putStack(request.stackName, 'UPDATE_ROLLBACK_COMPLETE', {
        Tags: ourTags('devops-app', 'test'),
      });
      aws.addEvents(request.stackName, {
        LogicalResourceId: 'AppService',
        ResourceType: 'AWS::ECS::Service',
        ResourceStatus: 'UPDATE_FAILED',
        ResourceStatusReason: 'ECS Deployment Circuit Breaker was triggered',
      });
    };
    deployer.failFor.set('test', new Error('update failed'));
    const error = await makeAction()
      .handler(
        actionContext({
          input: { ...VALID, environments: ['test'] },
          logger: captureLogger(),
        }) as any,
      )
      .catch(e => e);
    expect(error.message).toContain(
      'ECS Deployment Circuit Breaker was triggered',
    );
    expect(error.message).not.toContain('an old failure');
    expect(aws.parameters.get('/devops-app/test/app-secret')?.value).toBe(
      'existing',
    );
  });

  it('puts the previous secret back when an update that overwrote it rolls back', async () => {
    const PREVIOUS = 'previous-4b2e-do-not-leak';
    aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    aws.parameters.set('/devops-app/test/app-secret', { value: PREVIOUS });
    let valueDuringDeploy: string | undefined;
    deployer.onDeploy = request => {
      valueDuringDeploy = aws.parameters.get(
        '/devops-app/test/app-secret',
      )?.value;
      aws.putStack(request.stackName, 'UPDATE_ROLLBACK_COMPLETE', {
        Tags: ourTags('devops-app', 'test'),
      });
    };
    deployer.failFor.set('test', new Error('update failed'));
    const logger = captureLogger();
    const ctx = actionContext({
      input: { ...VALID, environments: ['test'] },
      secrets: { appSecret: CANARY },
      logger,
    });
    const error = await makeAction()
      .handler(ctx as any)
      .catch(e => e);

    expect(valueDuringDeploy).toBe(CANARY);
    expect(aws.parameters.get('/devops-app/test/app-secret')?.value).toBe(
      PREVIOUS,
    );
    expect(error.message).toContain(
      'devops-app-test UPDATE_ROLLBACK_COMPLETE; restored the previous value of /devops-app/test/app-secret:\nupdate failed',
    );
    const everything = [
      error.message,
      ...logger.lines,
      JSON.stringify(outputsOf(ctx)),
    ].join('\n');
    expect(everything).not.toContain(PREVIOUS);
    expect(everything).not.toContain(CANARY);
  });

  describe('restoring the previous secret after a failed update', () => {
    const PREVIOUS = 'previous-4b2e-do-not-leak';
    const NAME = '/devops-app/test/app-secret';
    const EARLIER = new Date('2024-01-01T00:00:00Z');

    beforeEach(() => {
      aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
        Tags: ourTags('devops-app', 'test'),
        LastUpdatedTime: EARLIER,
      });
      aws.addEvents('devops-app-test', {
        LogicalResourceId: 'devops-app-test',
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatus: 'UPDATE_COMPLETE',
      });
      aws.parameters.set(NAME, { value: PREVIOUS, version: 3 });
    });

    async function runFailing(error: Error) {
      deployer.failFor.set('test', error);
      const logger = captureLogger();
      const ctx = actionContext({
        input: { ...VALID, environments: ['test'] },
        secrets: { appSecret: CANARY },
        logger,
      });
      const thrown = await makeAction()
        .handler(ctx as any)
        .catch(e => e);
      const everything = [
        thrown.message,
        ...logger.lines,
        JSON.stringify(outputsOf(ctx)),
      ].join('\n');
      expect(everything).not.toContain(PREVIOUS);
      expect(everything).not.toContain(CANARY);
      return { message: thrown.message as string, logger };
    }

    it('restores it when the deploy failed before CloudFormation touched the stack', async () => {
      // Template validation, change set or IAM denial: the stack stays
      // UPDATE_COMPLETE with the old template and no new event.
      deployer.onDeploy = undefined;
      const { message, logger } = await runFailing(
        new Error('Template format error: Unresolved resource dependencies'),
      );
      expect(aws.parameters.get(NAME)?.value).toBe(PREVIOUS);
      expect(message).toContain(
        `devops-app-test UPDATE_COMPLETE; restored the previous value of ${NAME}:\nTemplate format error`,
      );
      expect(logger.lines.join('\n')).toContain(
        `restored the previous value of ${NAME}`,
      );
      // Checked by metadata only before writing.
      const checks = aws.ssm
        .commandCalls(GetParameterCommand)
        .map(c => c.args[0].input);
      expect(checks.at(-1)).toEqual({ Name: NAME, WithDecryption: false });
    });

    it.each([
      [
        'a newer stack event',
        () => {
          aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
            Tags: ourTags('devops-app', 'test'),
            LastUpdatedTime: EARLIER,
          });
          aws.addEvents('devops-app-test', {
            LogicalResourceId: 'devops-app-test',
            ResourceType: 'AWS::CloudFormation::Stack',
            ResourceStatus: 'UPDATE_COMPLETE',
          });
        },
      ],
      [
        'a newer LastUpdatedTime',
        () => {
          aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
            Tags: ourTags('devops-app', 'test'),
            LastUpdatedTime: new Date('2024-06-01T00:00:00Z'),
          });
        },
      ],
    ])(
      'keeps the new value when the update completed (%s) and a later step failed',
      async (_label, complete) => {
        deployer.onDeploy = complete;
        const { message } = await runFailing(
          new Error('could not read the stack outputs'),
        );
        expect(aws.parameters.get(NAME)?.value).toBe(CANARY);
        expect(message).toContain(
          'devops-app-test UPDATE_COMPLETE:\ncould not read the stack outputs',
        );
        expect(message).not.toMatch(/restore/);
        const writes = aws.ssm
          .commandCalls(PutParameterCommand)
          .filter(c => c.args[0].input.Overwrite);
        expect(writes).toHaveLength(1);
      },
    );

    it('does not restore over a value changed meanwhile, and says so', async () => {
      deployer.onDeploy = request => {
        // Rotated by hand (or by another run) while the stack was updating.
        const current = aws.parameters.get(NAME)!;
        aws.parameters.set(NAME, {
          value: 'rotated-9d1c-do-not-leak',
          version: (current.version ?? 1) + 1,
        });
        aws.putStack(request.stackName, 'UPDATE_ROLLBACK_COMPLETE', {
          Tags: ourTags('devops-app', 'test'),
        });
      };
      const { message, logger } = await runFailing(new Error('update failed'));
      expect(aws.parameters.get(NAME)?.value).toBe('rotated-9d1c-do-not-leak');
      const text = `did not restore the previous value of ${NAME}: it was changed meanwhile`;
      expect(message).toContain(
        `devops-app-test UPDATE_ROLLBACK_COMPLETE; ${text}:\nupdate failed`,
      );
      expect(logger.lines.join('\n')).toContain(text);
      expect(message).not.toContain('rotated-9d1c');
      expect(logger.lines.join('\n')).not.toContain('rotated-9d1c');
    });
  });

  it('does not rewrite a secret that already has the given value', async () => {
    aws.parameters.set('/devops-app/test/app-secret', { value: CANARY });
    await makeAction().handler(
      actionContext({
        input: { ...VALID, environments: ['test'] },
        secrets: { appSecret: CANARY },
        logger: captureLogger(),
      }) as any,
    );
    const overwrites = aws.ssm
      .commandCalls(PutParameterCommand)
      .filter(c => c.args[0].input.Overwrite);
    expect(overwrites).toHaveLength(0);
  });

  it('refuses to update a stack of the same name that it did not create', async () => {
    aws.putStack('devops-app-test', 'CREATE_COMPLETE', {
      Tags: [{ Key: 'Project', Value: 'someone-else' }],
    });
    const error = await makeAction()
      .handler(
        actionContext({
          input: { ...VALID, environments: ['test'] },
          logger: captureLogger(),
        }) as any,
      )
      .catch(e => e);
    expect(error.message).toMatch(/refusing to change it/);
    expect(deployer.deployed).toHaveLength(0);
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  it('deploys at most `concurrency` environments at a time', async () => {
    const ctx = actionContext({
      input: {
        ...VALID,
        environments: ['test', 'qa', 'staging', 'prod'],
        confirmProd: true,
      },
      logger: captureLogger(),
    });
    await makeAction().handler(ctx as any);
    expect(deployer.deployed).toHaveLength(4);
    expect(deployer.maxInFlight).toBe(2);

    const serial = new FakeDeployer();
    await createProvisionAction({
      config: seedConfig(),
      credentialsManager: credentials.manager,
      deployer: serial,
      provisioning: { concurrency: 1 },
    }).handler(ctx as any);
    expect(serial.maxInFlight).toBe(1);
  });

  it('takes account and region from config, never from input', async () => {
    const input = { ...VALID, environments: ['test'] };
    // Inputs of that name are refused, as the scaffolder's own check of the
    // action's schema (additionalProperties: false) refuses them.
    const refused = await makeAction()
      .handler(
        actionContext({
          input: { ...input, accountId: '999999999999', region: 'eu-west-1' },
          logger: captureLogger(),
        }) as any,
      )
      .catch(e => e);
    expect(refused.message).toBe(
      'Invalid input: accountId: is not an input of this action; region: is not an input of this action',
    );
    expectNoAwsCall();

    const ctx = actionContext({ input, logger: captureLogger() });
    await makeAction().handler(ctx as any);
    expect(credentials.calls).toEqual([{ accountId: '000000000000' }]);
    expect(deployer.deployed[0].environment.region).toBe('us-east-1');
    expect(await aws.cfn.calls()[0].thisValue.config.region()).toBe(
      'us-east-1',
    );
  });
});

function outputsOf(ctx: { output: jest.Mock | any }): Record<string, unknown> {
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]: [string, unknown]) => [
      k,
      v,
    ]),
  );
}

function outputOf(ctx: { output: any }, name: string): any {
  return outputsOf(ctx)[name];
}
