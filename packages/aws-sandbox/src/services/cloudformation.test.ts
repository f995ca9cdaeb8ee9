import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  ChangeSetNotFoundException,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  InvalidChangeSetStatusException,
  ListChangeSetsCommand,
  ListStacksCommand,
  UpdateStackCommand,
  paginateDescribeStackEvents,
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

const handles = (count: number) =>
  JSON.stringify({
    Resources: Object.fromEntries(
      Array.from({ length: count }, (_, i) => [
        `Handle${i}`,
        { Type: 'AWS::CloudFormation::WaitConditionHandle' },
      ]),
    ),
  });

describe('CloudFormation', () => {
  const t = useSandbox();
  const cfn = () => new CloudFormationClient(t.config);

  async function changeSetReady(stackName: string, changeSetName: string) {
    return waitFor(async () => {
      const d = await cfn().send(
        new DescribeChangeSetCommand({
          StackName: stackName,
          ChangeSetName: changeSetName,
        }),
      );
      return d.Status === 'CREATE_COMPLETE' ? d : undefined;
    });
  }

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
    expect(
      Object.keys(saved.accounts['000000000000']['us-east-1'].ssm.parameters),
    ).toEqual(['/kept']);
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

  it('deletes change sets by name or ARN without touching the stack', async () => {
    await cfn().send(
      new CreateStackCommand({
        StackName: 'cs-delete',
        TemplateBody: handles(1),
      }),
    );
    expect((await settled('cs-delete')).StackStatus).toBe('CREATE_COMPLETE');
    const ids: Record<string, string> = {};
    for (const [name, count] of [
      ['two', 2],
      ['three', 3],
    ] as const) {
      const created = await cfn().send(
        new CreateChangeSetCommand({
          StackName: 'cs-delete',
          ChangeSetName: name,
          TemplateBody: handles(count),
        }),
      );
      ids[name] = created.Id!;
      await changeSetReady('cs-delete', name);
    }
    const listed = async () =>
      (
        await cfn().send(new ListChangeSetsCommand({ StackName: 'cs-delete' }))
      ).Summaries!.map(c => c.ChangeSetName);
    expect((await listed()).sort()).toEqual(['three', 'two']);

    await cfn().send(
      new DeleteChangeSetCommand({
        StackName: 'cs-delete',
        ChangeSetName: 'two',
      }),
    );
    expect(await listed()).toEqual(['three']);
    // An unknown change set of an existing stack: AWS deletes nothing and
    // succeeds (the CDK CLI deletes its change set name before creating one).
    for (const ChangeSetName of ['never-created', 'two', ids.two]) {
      const none = await cfn().send(
        new DeleteChangeSetCommand({ StackName: 'cs-delete', ChangeSetName }),
      );
      expect(none.$metadata.httpStatusCode).toBe(200);
    }
    expect(await listed()).toEqual(['three']);
    await expect(
      cfn().send(
        new DescribeChangeSetCommand({
          StackName: 'cs-delete',
          ChangeSetName: 'two',
        }),
      ),
    ).rejects.toBeInstanceOf(ChangeSetNotFoundException);
    await expect(
      cfn().send(new ExecuteChangeSetCommand({ ChangeSetName: ids.two })),
    ).rejects.toBeInstanceOf(ChangeSetNotFoundException);

    await cfn().send(new DeleteChangeSetCommand({ ChangeSetName: ids.three }));
    expect(await listed()).toEqual([]);
    await expect(
      cfn().send(new DeleteChangeSetCommand({ ChangeSetName: ids.three })),
    ).rejects.toMatchObject({
      name: 'ChangeSetNotFoundException',
      message: `ChangeSet [${ids.three}] does not exist`,
    });
    await expect(
      cfn().send(
        new DeleteChangeSetCommand({
          StackName: 'no-such-stack',
          ChangeSetName: 'two',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });

    const stack = await settled('cs-delete');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const resources = await cfn().send(
      new DescribeStackResourcesCommand({ StackName: 'cs-delete' }),
    );
    expect(resources.StackResources!.map(r => r.LogicalResourceId)).toEqual([
      'Handle0',
    ]);
  });

  it('refuses to delete a change set while it executes', async () => {
    // Slow resource steps keep the execution in progress for the whole test;
    // close() cancels it.
    const slow = await startSandbox({
      port: 0,
      clock: 'manual',
      resourceDelayMs: 60_000,
    });
    try {
      const client = new CloudFormationClient({
        ...t.config,
        endpoint: slow.url,
      });
      const created = await client.send(
        new CreateChangeSetCommand({
          StackName: 'executing',
          ChangeSetName: 'initial',
          ChangeSetType: 'CREATE',
          TemplateBody: handles(1),
        }),
      );
      await waitFor(async () => {
        const d = await client.send(
          new DescribeChangeSetCommand({ ChangeSetName: created.Id }),
        );
        return d.Status === 'CREATE_COMPLETE';
      });
      await client.send(
        new ExecuteChangeSetCommand({ ChangeSetName: created.Id }),
      );
      await expect(
        client.send(new DeleteChangeSetCommand({ ChangeSetName: created.Id })),
      ).rejects.toBeInstanceOf(InvalidChangeSetStatusException);
      const still = await client.send(
        new DescribeChangeSetCommand({ ChangeSetName: created.Id }),
      );
      expect(still.ExecutionStatus).toBe('EXECUTE_IN_PROGRESS');
    } finally {
      await slow.close();
    }
  });

  it('pages stack events 100 at a time, newest first', async () => {
    await cfn().send(
      new CreateStackCommand({ StackName: 'many', TemplateBody: handles(40) }),
    );
    expect((await settled('many')).StackStatus).toBe('CREATE_COMPLETE');
    const first = await cfn().send(
      new DescribeStackEventsCommand({ StackName: 'many' }),
    );
    expect(first.StackEvents).toHaveLength(100);
    expect(first.StackEvents![0]).toMatchObject({
      LogicalResourceId: 'many',
      ResourceStatus: 'CREATE_COMPLETE',
    });
    const second = await cfn().send(
      new DescribeStackEventsCommand({
        StackName: 'many',
        NextToken: first.NextToken,
      }),
    );
    expect(second.NextToken).toBeUndefined();
    // One stack event at each end, three events per resource in between.
    expect(second.StackEvents).toHaveLength(2 + 3 * 40 - 100);
    expect(second.StackEvents![second.StackEvents!.length - 1]).toMatchObject({
      LogicalResourceId: 'many',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
    });

    // Newest first by time too: each event is later than the one before
    // it although the manual clock did not move, so a client that sorts by
    // Timestamp (the CDK CLI does) reads them in the order they happened.
    const all = [...first.StackEvents!, ...second.StackEvents!];
    const times = all.map(e => e.Timestamp!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(times).size).toBe(times.length);

    const viaPaginator: string[] = [];
    for await (const page of paginateDescribeStackEvents(
      { client: cfn() },
      { StackName: 'many' },
    )) {
      viaPaginator.push(...page.StackEvents!.map(e => e.EventId!));
    }
    expect(viaPaginator).toEqual(
      [...first.StackEvents!, ...second.StackEvents!].map(e => e.EventId),
    );
    expect(new Set(viaPaginator).size).toBe(viaPaginator.length);

    // A token belongs to the stack it was issued for.
    await expect(
      cfn().send(
        new DescribeStackEventsCommand({
          StackName: 'cs-delete',
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
