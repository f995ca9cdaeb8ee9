/*
 * Part of the AWS CLI contract: CloudFormation validate-template and
 * create-stack: builds the stack (awsCliStack.yaml) the ECS, Logs,
 * Application Auto Scaling, CloudWatch and later CloudFormation parts read,
 * and records its id in `cli.stackId`. Not a Jest file:
 * ../../awsCli.contract.test.ts registers the parts, in order, on its one
 * sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import {
  AwsCli,
  CLUSTER,
  ISO_TIME,
  STACK,
  STACK_ARN,
  TEMPLATE,
} from './context';

/** Registers this part's tests, in order. */
export function cloudformationStackTests(cli: AwsCli) {
  const { ok, fails, wait } = cli;

  it('CloudFormation validate-template reads the YAML template and rejects a broken one', async () => {
    const [valid, broken] = await Promise.all([
      ok('cloudformation', 'validate-template', '--template-body', TEMPLATE),
      fails(
        'ValidationError',
        'cloudformation',
        'validate-template',
        '--template-body',
        'Resources: [',
      ),
    ]);
    expect(valid.Description).toBe(
      'aws-sandbox contract test for the AWS CLI v2',
    );
    expect(valid.Parameters).toEqual([
      {
        ParameterKey: 'Version',
        DefaultValue: '1',
        NoEcho: false,
        Description: 'Image tag suffix, also stored in SSM',
      },
      { ParameterKey: 'DesiredCount', DefaultValue: '1', NoEcho: false },
    ]);
    expect(broken.message).toMatch(/^Template format error/);
  });

  it('CloudFormation create-stack from YAML, wait stack-create-complete, describe-stacks / list-stack-resources / describe-stack-events', async () => {
    const created = await ok(
      'cloudformation',
      'create-stack',
      '--stack-name',
      STACK,
      '--template-body',
      TEMPLATE,
      '--tags',
      'Key=team,Value=platform',
    );
    expect(created).toEqual({ StackId: expect.stringMatching(STACK_ARN) });
    cli.stackId = created.StackId;
    const [, waited] = await Promise.all([
      fails(
        'AlreadyExistsException',
        'cloudformation',
        'create-stack',
        '--stack-name',
        STACK,
        '--template-body',
        TEMPLATE,
      ),
      wait(
        'cloudformation',
        'wait',
        'stack-create-complete',
        '--stack-name',
        STACK,
      ),
    ]);
    expect(waited).toEqual({ code: 0, stdout: '', stderr: '' });

    const [stacks, resources, events] = await Promise.all([
      ok('cloudformation', 'describe-stacks', '--stack-name', STACK),
      ok('cloudformation', 'list-stack-resources', '--stack-name', STACK),
      ok('cloudformation', 'describe-stack-events', '--stack-name', STACK),
    ]);
    const [stack] = stacks.Stacks;
    expect(stack).toMatchObject({
      StackId: cli.stackId,
      StackName: STACK,
      StackStatus: 'CREATE_COMPLETE',
      CreationTime: expect.stringMatching(ISO_TIME),
      DisableRollback: false,
      Tags: [{ Key: 'team', Value: 'platform' }],
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    });
    expect(stack.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: 'Version', ParameterValue: '1' },
        { ParameterKey: 'DesiredCount', ParameterValue: '1' },
      ]),
    );
    expect(stack.Outputs).toEqual(
      expect.arrayContaining([
        {
          OutputKey: 'ClusterName',
          OutputValue: CLUSTER,
          ExportName: `${STACK}-ClusterName`,
        },
        {
          OutputKey: 'ServiceArn',
          OutputValue: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/web`,
        },
      ]),
    );
    expect(
      resources.StackResourceSummaries.map((r: any) => [
        r.LogicalResourceId,
        r.ResourceType,
        r.ResourceStatus,
      ]).sort(),
    ).toEqual(
      [
        ['Cluster', 'AWS::ECS::Cluster'],
        ['CpuPolicy', 'AWS::ApplicationAutoScaling::ScalingPolicy'],
        ['LogGroup', 'AWS::Logs::LogGroup'],
        ['ScalableTarget', 'AWS::ApplicationAutoScaling::ScalableTarget'],
        ['Service', 'AWS::ECS::Service'],
        ['ServiceSecurityGroup', 'AWS::EC2::SecurityGroup'],
        ['Subnet', 'AWS::EC2::Subnet'],
        ['TaskDefinition', 'AWS::ECS::TaskDefinition'],
        ['VersionParameter', 'AWS::SSM::Parameter'],
        ['Vpc', 'AWS::EC2::VPC'],
      ].map(r => [...r, 'CREATE_COMPLETE']),
    );

    // Newest first: the create ends with the stack's CREATE_COMPLETE and
    // began with its "User Initiated" CREATE_IN_PROGRESS.
    const all = events.StackEvents;
    expect(all[0]).toMatchObject({
      LogicalResourceId: STACK,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: 'CREATE_COMPLETE',
      Timestamp: expect.stringMatching(ISO_TIME),
    });
    expect(all[all.length - 1]).toMatchObject({
      LogicalResourceId: STACK,
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
    });
    // The service completed only once its task ran (ECS stabilisation).
    const service = all
      .filter((e: any) => e.LogicalResourceId === 'Service')
      .reverse();
    expect(service.map((e: any) => e.ResourceStatus)).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
    ]);
    expect(
      Date.parse(service[2].Timestamp) - Date.parse(service[1].Timestamp),
    ).toBeGreaterThanOrEqual(30_000);
  });
}
