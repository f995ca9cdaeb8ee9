import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { useSandbox, waitFor } from '../__testUtils__/sandbox';
import { startSandbox } from '../index';

const template = (value: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Parameters: {
      Env: { Type: 'String', Default: 'qa', AllowedValues: ['qa', 'prod'] },
    },
    Conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      InUsEast: {
        'Fn::Or': [
          { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
          { Condition: 'IsProd' },
        ],
      },
    },
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
      Subnet: {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          CidrBlock: {
            'Fn::Select': [
              0,
              { 'Fn::Split': [',', '10.1.1.0/24,10.1.2.0/24'] },
            ],
          },
          AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
        },
      },
      Cluster: {
        Type: 'AWS::ECS::Cluster',
        Properties: { ClusterName: { 'Fn::Sub': 'app-${Env}-cluster' } },
      },
      Param: {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Name: { 'Fn::Join': ['/', ['', 'app', { Ref: 'Env' }, 'value']] },
          Type: 'String',
          Value: {
            'Fn::Sub': [
              '${V}-${Arn}',
              { V: value, Arn: { 'Fn::GetAtt': ['Cluster', 'Arn'] } },
            ],
          },
        },
      },
      ProdOnly: { Type: 'AWS::SNS::Topic', Condition: 'IsProd' },
      ...extra,
    },
    Outputs: {
      VpcCidr: { Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } },
      Az: { Value: { 'Fn::GetAtt': ['Subnet', 'AvailabilityZone'] } },
      Where: {
        Value: {
          'Fn::If': [
            'InUsEast',
            {
              'Fn::Sub':
                '${AWS::AccountId}:${AWS::Partition}:${AWS::URLSuffix}',
            },
            'elsewhere',
          ],
        },
      },
      StackName: {
        Value: { Ref: 'AWS::StackName' },
        Export: { Name: 'app-stack-name' },
      },
    },
  });

describe('CloudFormation', () => {
  const t = useSandbox();
  const cfn = () => new CloudFormationClient(t.config);

  async function settled(name: string) {
    return waitFor(async () => {
      const s = (
        await cfn().send(new DescribeStacksCommand({ StackName: name }))
      ).Stacks![0];
      return s.StackStatus!.endsWith('_IN_PROGRESS') ? undefined : s;
    });
  }

  it('creates resources in dependency order with intrinsics and outputs', async () => {
    await cfn().send(
      new CreateStackCommand({
        StackName: 'app',
        TemplateBody: template('v1'),
      }),
    );
    const stack = await settled('app');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const outputs = Object.fromEntries(
      stack.Outputs!.map(o => [o.OutputKey, o.OutputValue]),
    );
    expect(outputs).toEqual({
      VpcCidr: '10.1.0.0/16',
      Az: 'us-east-1b',
      Where: '000000000000:aws:amazonaws.com',
      StackName: 'app',
    });
    const param = await new SSMClient(t.config).send(
      new GetParameterCommand({ Name: '/app/qa/value' }),
    );
    expect(param.Parameter?.Value).toBe(
      'v1-arn:aws:ecs:us-east-1:000000000000:cluster/app-qa-cluster',
    );
    const clusters = await new ECSClient(t.config).send(
      new DescribeClustersCommand({ clusters: ['app-qa-cluster'] }),
    );
    expect(clusters.clusters).toHaveLength(1);
    const resources = (
      await cfn().send(new DescribeStackResourcesCommand({ StackName: 'app' }))
    ).StackResources!;
    expect(resources.map(r => r.LogicalResourceId).sort()).toEqual([
      'Cluster',
      'Param',
      'Subnet',
      'Vpc',
    ]);
    expect(
      resources.find(r => r.LogicalResourceId === 'Vpc')!.PhysicalResourceId,
    ).toMatch(/^vpc-0[0-9a-f]{16}$/);
    const events = (
      await cfn().send(new DescribeStackEventsCommand({ StackName: 'app' }))
    ).StackEvents!;
    const order = events
      .filter(e => e.ResourceStatus === 'CREATE_COMPLETE')
      .map(e => e.LogicalResourceId)
      .reverse();
    expect(order.indexOf('Vpc')).toBeLessThan(order.indexOf('Subnet'));
    expect(order.indexOf('Cluster')).toBeLessThan(order.indexOf('Param'));
    expect(events[events.length - 1]).toMatchObject({
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
    });
    expect(
      events
        .filter(e => e.LogicalResourceId === 'Vpc')
        .map(e => e.ResourceStatusReason),
    ).toEqual([undefined, 'Resource creation Initiated', undefined]);
  });

  it('diffs change sets and reports when nothing changed', async () => {
    const same = await cfn().send(
      new CreateChangeSetCommand({
        StackName: 'app',
        ChangeSetName: 'same',
        TemplateBody: template('v1'),
      }),
    );
    const failed = await waitFor(async () => {
      const cs = await cfn().send(
        new DescribeChangeSetCommand({ ChangeSetName: same.Id }),
      );
      return cs.Status === 'CREATE_PENDING' ||
        cs.Status === 'CREATE_IN_PROGRESS'
        ? undefined
        : cs;
    });
    expect(failed).toMatchObject({
      Status: 'FAILED',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    const cs = await cfn().send(
      new CreateChangeSetCommand({
        StackName: 'app',
        ChangeSetName: 'prod',
        TemplateBody: template('v2'),
        Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
      }),
    );
    const described = await waitFor(async () => {
      const d = await cfn().send(
        new DescribeChangeSetCommand({ ChangeSetName: cs.Id }),
      );
      return d.Status === 'CREATE_COMPLETE' ? d : undefined;
    });
    expect(described.ExecutionStatus).toBe('AVAILABLE');
    const changes = Object.fromEntries(
      described.Changes!.map(c => [
        c.ResourceChange!.LogicalResourceId,
        [c.ResourceChange!.Action, c.ResourceChange!.Replacement],
      ]),
    );
    expect(changes).toEqual({
      Cluster: ['Modify', 'True'],
      Param: ['Modify', 'True'],
      ProdOnly: ['Add', undefined],
    });
    await cfn().send(new ExecuteChangeSetCommand({ ChangeSetName: cs.Id }));
    const stack = await settled('app');
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    const events = (
      await cfn().send(new DescribeStackEventsCommand({ StackName: 'app' }))
    ).StackEvents!;
    expect(events.map(e => e.ResourceStatus)).toContain(
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    );
    const gone = await new ECSClient(t.config).send(
      new DescribeClustersCommand({ clusters: ['app-qa-cluster'] }),
    );
    expect(gone.clusters![0].status).toBe('INACTIVE');
    const tpl = await cfn().send(new GetTemplateCommand({ StackName: 'app' }));
    expect(tpl.TemplateBody).toBe(template('v2'));
  });

  it('rolls back a failed update and a failed create', async () => {
    t.sb.addFault({
      type: 'resourceFailure',
      logicalIdPrefix: 'Extra',
      message: 'boom',
    });
    await cfn().send(
      new UpdateStackCommand({
        StackName: 'app',
        TemplateBody: template('v3', {
          Extra: {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: { GroupDescription: 'x' },
          },
        }),
        Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }],
      }),
    );
    const stack = await settled('app');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const events = (
      await cfn().send(new DescribeStackEventsCommand({ StackName: 'app' }))
    ).StackEvents!;
    expect(
      events.find(e => e.ResourceStatus === 'CREATE_FAILED'),
    ).toMatchObject({
      LogicalResourceId: 'Extra',
      ResourceStatusReason: 'boom',
    });
    const param = await new SSMClient(t.config).send(
      new GetParameterCommand({ Name: '/app/prod/value' }),
    );
    expect(param.Parameter?.Value).toMatch(/^v2-/);

    t.sb.addFault({
      type: 'resourceFailure',
      resourceType: 'AWS::ECS::Cluster',
      stackName: 'broken',
    });
    await cfn().send(
      new CreateStackCommand({
        StackName: 'broken',
        TemplateBody: template('x'),
      }),
    );
    const broken = await settled('broken');
    expect(broken.StackStatus).toBe('ROLLBACK_COMPLETE');
    const brokenEvents = (
      await cfn().send(new DescribeStackEventsCommand({ StackName: 'broken' }))
    ).StackEvents!;
    expect(
      brokenEvents.find(e => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!
        .ResourceStatusReason,
    ).toBe(
      'The following resource(s) failed to create: [Cluster]. Rollback requested by user.',
    );
    const resources = (
      await cfn().send(
        new DescribeStackResourcesCommand({ StackName: 'broken' }),
      )
    ).StackResources!;
    expect(resources).toEqual([]);
  });

  it('deletes stacks and their live objects', async () => {
    await cfn().send(new DeleteStackCommand({ StackName: 'app' }));
    await waitFor(async () => {
      const list = await cfn().send(
        new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
      );
      return list.StackSummaries!.some(s => s.StackName === 'app');
    });
    await expect(
      new SSMClient(t.config).send(
        new GetParameterCommand({ Name: '/app/prod/value' }),
      ),
    ).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
  });

  it('persists state to a file and loads it at start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
    const file = path.join(dir, 'state.json');
    const first = await startSandbox({
      port: 0,
      clock: 'manual',
      stateFile: file,
      resourceDelayMs: 0,
    });
    const config = { ...t.config, endpoint: first.url };
    await new SSMClient(config).send(
      new PutParameterCommand({ Name: '/kept', Value: 'yes', Type: 'String' }),
    );
    first.advance(3600);
    await first.close();
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(saved.regions['us-east-1'].ssm.parameters)).toEqual([
      '/kept',
    ]);
    const second = await startSandbox({
      port: 0,
      clock: 'manual',
      stateFile: file,
    });
    const got = await new SSMClient({ ...t.config, endpoint: second.url }).send(
      new GetParameterCommand({ Name: '/kept' }),
    );
    expect(got.Parameter?.Value).toBe('yes');
    expect(second.clock.now()).toBe(saved.clockMs);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
