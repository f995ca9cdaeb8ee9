import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { SynthesizedEnvironment } from '@envplane/aws-environments-infra';
import { captureLogger } from '../__testUtils__/fixtures';
import {
  baseResult,
  EnvironmentResult,
  failureOf,
  formatCounts,
  logResults,
  resultLinks,
} from './environmentResult';

const environment = (region: string) =>
  ({
    name: 'qa',
    title: 'QA',
    accountId: '000000000000',
    region,
    vpcCidr: '10.1.0.0/16',
    promotion: { trigger: 'manual', reviewRequired: true },
  } as AwsEnvironmentConfig);

const synthesized = {
  resourceCount: 3,
  resourceCountsByType: { 'AWS::EC2::VPC': 1, 'AWS::ECS::Service': 2 },
} as unknown as SynthesizedEnvironment;

describe('environment results', () => {
  it('names everything by the convention, with console links in the partition', () => {
    const result = baseResult(
      'devops-app',
      environment('us-east-1'),
      synthesized,
    );
    expect(result).toEqual({
      name: 'qa',
      stackName: 'devops-app-qa',
      status: 'PENDING',
      operation: 'create',
      accountId: '000000000000',
      region: 'us-east-1',
      clusterName: 'devops-app-qa-ecs-cluster',
      serviceName: 'devops-app-qa-service',
      serviceArn:
        'arn:aws:ecs:us-east-1:000000000000:service/devops-app-qa-ecs-cluster/devops-app-qa-service',
      logGroupName: expect.any(String),
      parameterPath: '/devops-app/qa/',
      secretParameterName: '/devops-app/qa/app-secret',
      serviceUrl:
        'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/devops-app-qa-ecs-cluster/services/devops-app-qa-service?region=us-east-1',
      stackUrl:
        'https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/stackinfo?stackId=devops-app-qa',
      resourceCount: 3,
      resourceCountsByType: { 'AWS::EC2::VPC': 1, 'AWS::ECS::Service': 2 },
    });
    expect(
      baseResult('devops-app', environment('cn-north-1'), synthesized).stackUrl,
    ).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\//);
  });

  const ok = baseResult('devops-app', environment('us-east-1'), synthesized);
  const results: EnvironmentResult[] = [
    { ...ok, status: 'CREATE_COMPLETE' },
    { ...ok, name: 'prod', status: 'FAILED', error: 'stack failed:\nreason' },
  ];

  it('links every environment, and closes the log with those that exist', () => {
    expect(resultLinks(results).map(l => l.title)).toEqual([
      'qa: ECS service',
      'qa: CloudFormation stack',
      'prod: ECS service',
      'prod: CloudFormation stack',
    ]);
    const logger = captureLogger();
    logResults(logger, results);
    expect(logger.lines).toEqual([
      'info qa: devops-app-qa CREATE_COMPLETE, cluster devops-app-qa-ecs-cluster, service devops-app-qa-service',
      `info qa: ECS service ${ok.serviceUrl}`,
      `info qa: CloudFormation stack ${ok.stackUrl}`,
    ]);
  });

  it('fails the task naming each failed environment with its reason', () => {
    const failure = failureOf(results);
    expect(failure?.message).toBe(
      'Provisioning failed for prod:\nprod: stack failed:\nreason',
    );
    // The task log shows the stack: the message, and no frames.
    expect(failure?.stack).toBe(`Error: ${failure?.message}`);
    expect(failureOf(results.slice(0, 1))).toBeUndefined();
  });

  it('counts resources by type without the AWS:: prefix', () => {
    expect(formatCounts(synthesized.resourceCountsByType)).toBe(
      '1 EC2::VPC, 2 ECS::Service',
    );
  });
});
