import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SynthesizedEnvironment } from '@envplane/aws-environments-infra';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { mockAws, ourTags } from '../__testUtils__/awsMocks';
import { captureLogger, FakeDeployer } from '../__testUtils__/fixtures';
import { EnvironmentContext } from './environmentContext';
import { baseResult } from './environmentResult';
import { provisionEnvironment } from './provisionEnvironment';

const environment = {
  name: 'test',
  title: 'Test',
  accountId: '000000000000',
  region: 'us-east-1',
  vpcCidr: '10.3.0.0/16',
  promotion: { trigger: 'manual', reviewRequired: false },
} as AwsEnvironmentConfig;

const stack = {
  environment: 'test',
  stackName: 'devops-app-test',
  artifactId: 'devops-app-test',
  resourceCount: 42,
  resourceCountsByType: {},
} as unknown as SynthesizedEnvironment;

const SECRET = '/devops-app/test/app-secret';

describe('provisionEnvironment', () => {
  let aws: ReturnType<typeof mockAws>;
  let deployer: FakeDeployer;
  beforeEach(() => {
    aws = mockAws();
    deployer = new FakeDeployer();
  });
  afterEach(() => aws.reset());

  function context() {
    const logger = captureLogger();
    const c: EnvironmentContext & { secret?: string } = {
      stackInputs: {
        project: 'devops-app',
        owner: 'group:default/devops-team',
        image: 'app:2',
        desiredCount: 3,
      },
      environment,
      aws: {
        cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
        ssm: new SSMClient({ region: 'us-east-1' }),
        credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 's' }),
        region: 'us-east-1',
        accountId: '000000000000',
      },
      deployer,
      logger,
      stack,
      outdir: '/tmp/unused',
      base: baseResult('devops-app', environment, stack),
      secret: 'canary-do-not-leak',
    };
    return { c, logger };
  }

  it('writes the secret, then updates the stack, and takes names from its outputs', async () => {
    aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    deployer.onDeploy = () => {
      expect(aws.parameters.has(SECRET)).toBe(true);
      aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
        Tags: ourTags('devops-app', 'test'),
        Outputs: [
          { OutputKey: 'ServiceName', OutputValue: 'svc' },
          { OutputKey: 'LoadBalancerDnsName', OutputValue: 'alb.example' },
        ],
      });
    };
    const { c, logger } = context();
    await expect(provisionEnvironment(c)).resolves.toMatchObject({
      status: 'UPDATE_COMPLETE',
      operation: 'update',
      serviceName: 'svc',
      clusterName: 'devops-app-test-ecs-cluster',
      loadBalancerDnsName: 'alb.example',
    });
    expect(deployer.deployed[0].parameters).toEqual({
      ImageUri: 'app:2',
      DesiredCount: '3',
    });
    expect(logger.lines.slice(0, 2)).toEqual([
      `info test: SecureString ${SECRET} created`,
      'info test: updating devops-app-test',
    ]);
  });

  it('refuses a stack that is not the project’s before writing the secret', async () => {
    aws.putStack('devops-app-test', 'CREATE_COMPLETE', {
      Tags: [{ Key: 'Project', Value: 'someone-else' }],
    });
    await expect(provisionEnvironment(context().c)).rejects.toThrow(
      /refusing to change it/,
    );
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(deployer.deployed).toHaveLength(0);
  });

  it('fails naming the stack, its status and the undone secret, the toolkit error as cause', async () => {
    const cause = new Error('Template format error');
    deployer.failFor.set('test', cause);
    deployer.onDeploy = () => {
      aws.putStack('devops-app-test', 'ROLLBACK_COMPLETE');
    };
    const error = await provisionEnvironment(context().c).catch(e => e);
    expect(error.message).toBe(
      `devops-app-test ROLLBACK_COMPLETE; removed ${SECRET}, which this run had created:\nTemplate format error`,
    );
    expect(error.cause).toBe(cause);
    expect(aws.parameters.has(SECRET)).toBe(false);
  });
});
