/*
 * Accounts, through the SDK clients: credentials from AssumeRole act in the
 * role's account, which holds its own resources; the default caller's
 * account and every other one see none of them.
 */
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { useSandbox, waitFor } from './__testUtils__/sandbox';
import { all, queryRequest, text } from './__testUtils__/query';

const A = '111111111111';
const B = '222222222222';
const DEFAULT = '000000000000';

describe('accounts', () => {
  const t = useSandbox();
  const as: Record<string, typeof t.config> = {};

  beforeAll(async () => {
    as[DEFAULT] = t.config;
    for (const account of [A, B]) {
      const res = await new STSClient(t.config).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/deployer`,
          RoleSessionName: 'ci',
        }),
      );
      const c = res.Credentials!;
      as[account] = {
        ...t.config,
        credentials: {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        } as typeof t.config.credentials,
      };
    }
  });

  it('answers GetCallerIdentity with each account', async () => {
    const ids = await Promise.all(
      [DEFAULT, A, B].map(a =>
        new STSClient(as[a]).send(new GetCallerIdentityCommand({})),
      ),
    );
    expect(ids.map(i => [i.Account, i.Arn])).toEqual([
      [DEFAULT, `arn:aws:iam::${DEFAULT}:user/sandbox`],
      [A, `arn:aws:sts::${A}:assumed-role/deployer/ci`],
      [B, `arn:aws:sts::${B}:assumed-role/deployer/ci`],
    ]);
  });

  it('keeps SSM parameters per account', async () => {
    const ssm = (a: string) => new SSMClient(as[a]);
    const put = await ssm(A).send(
      new PutParameterCommand({
        Name: '/app/qa/image',
        Value: 'app:a',
        Type: 'String',
      }),
    );
    expect(put.Version).toBe(1);
    for (const other of [B, DEFAULT]) {
      await expect(
        ssm(other).send(new GetParameterCommand({ Name: '/app/qa/image' })),
      ).rejects.toMatchObject({ name: 'ParameterNotFound' });
      const byPath = await ssm(other).send(
        new GetParametersByPathCommand({ Path: '/app', Recursive: true }),
      );
      expect(byPath.Parameters).toEqual([]);
    }
    // The same name in B is B's own parameter, from version 1.
    await ssm(B).send(
      new PutParameterCommand({
        Name: '/app/qa/image',
        Value: 'app:b',
        Type: 'String',
      }),
    );
    const got = await Promise.all(
      [A, B].map(a =>
        ssm(a).send(new GetParameterCommand({ Name: '/app/qa/image' })),
      ),
    );
    expect(got.map(g => [g.Parameter!.Value, g.Parameter!.ARN])).toEqual([
      ['app:a', `arn:aws:ssm:us-east-1:${A}:parameter/app/qa/image`],
      ['app:b', `arn:aws:ssm:us-east-1:${B}:parameter/app/qa/image`],
    ]);
    await expect(
      ssm(B).send(
        new GetParameterCommand({
          Name: `arn:aws:ssm:us-east-1:${A}:parameter/app/qa/image`,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${B}:assumed-role/deployer/ci is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:${A}:parameter/app/qa/image because no resource-based policy allows the ssm:GetParameter action`,
    });
  });

  it('keeps ECS clusters, services, tasks and their logs per account', async () => {
    const ecs = new ECSClient(as[A]);
    const cluster = (
      await ecs.send(new CreateClusterCommand({ clusterName: 'qa' }))
    ).cluster!;
    expect(cluster.clusterArn).toBe(`arn:aws:ecs:us-east-1:${A}:cluster/qa`);
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'app',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'app',
            image: 'app:1',
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/app',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
                'awslogs-create-group': 'true',
              },
            },
          },
        ],
      }),
    );
    expect(td.taskDefinition!.taskDefinitionArn).toBe(
      `arn:aws:ecs:us-east-1:${A}:task-definition/app:1`,
    );
    // Each account has its own default VPC, as on AWS.
    const defaultSubnets = async (a: string) => {
      const res = await queryRequest(
        t.sb,
        'ec2',
        {
          Action: 'DescribeSubnets',
          Version: '2016-11-15',
          'Filter.1.Name': 'default-for-az',
          'Filter.1.Value.1': 'true',
        },
        'us-east-1',
        as[a].credentials.accessKeyId,
      );
      return all(res.xml, 'subnetSet', 'item').map(x => text(x, 'subnetId'));
    };
    const subnets = await defaultSubnets(A);
    expect(subnets.length).toBeGreaterThan(0);
    expect(await defaultSubnets(B)).not.toContain(subnets[0]);
    const svc = await ecs.send(
      new CreateServiceCommand({
        cluster: 'qa',
        serviceName: 'web',
        taskDefinition: 'app',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets } },
      }),
    );
    expect(svc.service!.serviceArn).toBe(
      `arn:aws:ecs:us-east-1:${A}:service/qa/web`,
    );
    t.sb.advance(120);
    const taskArns = (await ecs.send(new ListTasksCommand({ cluster: 'qa' })))
      .taskArns!;
    expect(taskArns).toHaveLength(1);
    expect(taskArns[0]).toMatch(
      new RegExp(`^arn:aws:ecs:us-east-1:${A}:task/qa/[0-9a-f]{32}$`),
    );
    const task = (
      await ecs.send(
        new DescribeTasksCommand({ cluster: 'qa', tasks: taskArns }),
      )
    ).tasks![0];
    expect(task.lastStatus).toBe('RUNNING');
    expect(task.containers![0].containerArn).toContain(`:${A}:container/qa/`);

    for (const other of [B, DEFAULT]) {
      const o = new ECSClient(as[other]);
      expect(
        (await o.send(new ListClustersCommand({}))).clusterArns,
      ).not.toContain(cluster.clusterArn);
      await expect(
        o.send(
          new DescribeServicesCommand({ cluster: 'qa', services: ['web'] }),
        ),
      ).rejects.toBeInstanceOf(ClusterNotFoundException);
      const err = await o
        .send(
          new DescribeServicesCommand({
            cluster: cluster.clusterArn,
            services: ['web'],
          }),
        )
        .catch(e => e);
      expect(err).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toBe(
        `Invalid identifier: Identifier is for ${A}. Your accountId is ${other}`,
      );
    }

    // The task logs into its own account's group.
    const groups = await new CloudWatchLogsClient(as[A]).send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/app' }),
    );
    expect(groups.logGroups!.map(g => g.arn)).toEqual([
      `arn:aws:logs:us-east-1:${A}:log-group:/ecs/app:*`,
    ]);
    const events = await new CloudWatchLogsClient(as[A]).send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/app' }),
    );
    expect(events.events!.length).toBeGreaterThan(0);
    const fromB = new CloudWatchLogsClient(as[B]);
    expect(
      (
        await fromB.send(
          new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/app' }),
        )
      ).logGroups,
    ).toEqual([]);
    await expect(
      fromB.send(
        new FilterLogEventsCommand({
          logGroupIdentifier: `arn:aws:logs:us-east-1:${A}:log-group:/ecs/app`,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('deploys a CloudFormation stack into the caller account', async () => {
    const cfn = new CloudFormationClient(as[B]);
    const created = await cfn.send(
      new CreateStackCommand({
        StackName: 'env',
        TemplateBody: JSON.stringify({
          Resources: {
            Cluster: {
              Type: 'AWS::ECS::Cluster',
              Properties: { ClusterName: 'env-cluster' },
            },
            Logs: {
              Type: 'AWS::Logs::LogGroup',
              Properties: { LogGroupName: '/env' },
            },
            Param: {
              Type: 'AWS::SSM::Parameter',
              Properties: {
                Name: '/env/cluster',
                Type: 'String',
                Value: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
              },
            },
          },
          Outputs: {
            Account: { Value: { Ref: 'AWS::AccountId' } },
            LogsArn: { Value: { 'Fn::GetAtt': ['Logs', 'Arn'] } },
          },
        }),
      }),
    );
    expect(created.StackId).toMatch(
      new RegExp(`^arn:aws:cloudformation:us-east-1:${B}:stack/env/`),
    );
    const stack = await waitFor(async () => {
      const s = (
        await cfn.send(new DescribeStacksCommand({ StackName: 'env' }))
      ).Stacks![0];
      return s.StackStatus === 'CREATE_IN_PROGRESS' ? undefined : s;
    });
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(
      Object.fromEntries(stack.Outputs!.map(o => [o.OutputKey, o.OutputValue])),
    ).toEqual({
      Account: B,
      LogsArn: `arn:aws:logs:us-east-1:${B}:log-group:/env:*`,
    });
    const resources = (
      await cfn.send(new DescribeStackResourcesCommand({ StackName: 'env' }))
    ).StackResources!;
    expect(resources.every(r => r.StackId === created.StackId)).toBe(true);
    const param = await new SSMClient(as[B]).send(
      new GetParameterCommand({ Name: '/env/cluster' }),
    );
    expect(param.Parameter!.Value).toBe(
      `arn:aws:ecs:us-east-1:${B}:cluster/env-cluster`,
    );

    // Neither by name nor by B's stack id does A find it.
    const fromA = new CloudFormationClient(as[A]);
    for (const StackName of ['env', created.StackId!]) {
      await expect(
        fromA.send(new DescribeStacksCommand({ StackName })),
      ).rejects.toMatchObject({
        name: 'ValidationError',
        message: `Stack with id ${StackName} does not exist`,
      });
    }
    await expect(
      new SSMClient(as[A]).send(
        new GetParameterCommand({ Name: '/env/cluster' }),
      ),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });
});
