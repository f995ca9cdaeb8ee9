import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SynthesizedEnvironment } from '@envplane/aws-environments-infra';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { mockAws, ourTags } from '../__testUtils__/awsMocks';
import { captureLogger, FakeDeployer } from '../__testUtils__/fixtures';
import { EnvironmentContext } from './environmentContext';
import { baseResult } from './environmentResult';
import { planEnvironment } from './planEnvironment';

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

describe('planEnvironment (dry run)', () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => {
    aws = mockAws();
  });
  afterEach(() => aws.reset());

  function context(deployer: FakeDeployer) {
    const logger = captureLogger();
    const c: EnvironmentContext = {
      stackInputs: {
        project: 'devops-app',
        owner: 'group:default/devops-team',
        image: 'app:1',
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
    };
    return { c, logger };
  }

  it('would create a stack that does not exist, without a diff', async () => {
    const deployer = new FakeDeployer();
    const { c, logger } = context(deployer);
    await expect(planEnvironment(c)).resolves.toMatchObject({
      status: 'WOULD_CREATE',
      operation: 'create',
    });
    expect(deployer.diffed).toHaveLength(0);
    expect(logger.lines).toEqual([
      'info test: would create devops-app-test with 42 resources and the SecureString /devops-app/test/app-secret',
    ]);
  });

  it('assumes a stack it cannot look up does not exist, and says so', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(new Error('AccessDenied'));
    const { c, logger } = context(new FakeDeployer());
    await expect(planEnvironment(c)).resolves.toMatchObject({
      status: 'WOULD_CREATE',
    });
    expect(logger.lines[0]).toBe(
      'warn test: could not look up devops-app-test (AccessDenied); assuming it does not exist',
    );
  });

  it('diffs an existing stack and lists each change', async () => {
    aws.putStack('devops-app-test', 'UPDATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    const deployer = new FakeDeployer();
    const { c, logger } = context(deployer);
    await expect(planEnvironment(c)).resolves.toMatchObject({
      status: 'WOULD_UPDATE',
      operation: 'update',
      changes: { add: 1, remove: 0, update: 2, replace: 0 },
    });
    expect(deployer.diffed[0]).toMatchObject({
      stackName: 'devops-app-test',
      artifactId: 'devops-app-test',
    });
    expect(logger.lines).toEqual([
      'info test: would update devops-app-test: 1 to add, 2 to update, 0 to replace, 0 to remove; security group changes',
      'info test:   add LoadBalancerAlb (AWS::ElasticLoadBalancingV2::LoadBalancer)',
    ]);
  });

  it('still reports an update when the diff fails', async () => {
    aws.putStack('devops-app-test', 'UPDATE_COMPLETE');
    const deployer = new FakeDeployer();
    deployer.diff = async () => {
      throw new Error('GetTemplate denied');
    };
    const { c, logger } = context(deployer);
    const result = await planEnvironment(c);
    expect(result).toMatchObject({ status: 'WOULD_UPDATE' });
    expect(result.changes).toBeUndefined();
    expect(logger.lines).toEqual([
      'warn test: would update devops-app-test; no diff (GetTemplate denied)',
    ]);
  });
});
