/*
 * Drift detection through the real SDK: a stack is IN_SYNC after creation,
 * then changed out of band through the services' own APIs (ECS
 * UpdateService, SSM PutParameter, Logs PutRetentionPolicy, Application Auto
 * Scaling RegisterScalableTarget, EC2 AuthorizeSecurityGroupIngress) and
 * reads DRIFTED with the exact property differences.
 */
import {
  CloudFormationClient,
  DescribeStackResourceDriftsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  DetectStackResourceDriftCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DeleteParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  CloudWatchLogsClient,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ApplicationAutoScalingClient,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { useSandbox } from '../__testUtils__/sandbox';
import {
  CHECKED,
  createDriftStack,
  detect,
  drifts,
} from '../__testUtils__/driftStack';
import { queryRequest, text } from '../__testUtils__/query';

describe('CloudFormation drift detection', () => {
  const t = useSandbox();
  const cfn = () => new CloudFormationClient(t.config);
  let groupId = '';

  beforeAll(async () => {
    await createDriftStack(t);
    const { StackResources } = await cfn().send(
      new DescribeStackResourcesCommand({
        StackName: 'drift',
        LogicalResourceId: 'Group',
      }),
    );
    groupId = StackResources![0].PhysicalResourceId!;
  });

  it('has no drift information before the first detection', async () => {
    const { Stacks } = await cfn().send(
      new DescribeStacksCommand({ StackName: 'drift' }),
    );
    expect(Stacks![0].DriftInformation).toEqual({
      StackDriftStatus: 'NOT_CHECKED',
    });
    expect(await drifts(t)).toEqual({});
  });

  it('finds a fresh stack IN_SYNC and checks only supported types', async () => {
    const status = await detect(t);
    expect(status).toMatchObject({
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'IN_SYNC',
      DriftedStackResourceCount: 0,
    });
    expect(status.StackId).toMatch(/:stack\/drift\//);
    const found = await drifts(t);
    expect(Object.keys(found).sort()).toEqual([...CHECKED].sort());
    for (const d of Object.values(found)) {
      expect(d.StackResourceDriftStatus).toBe('IN_SYNC');
      expect(d.PropertyDifferences).toBeUndefined();
      expect(d.Timestamp).toEqual(status.Timestamp);
    }
    // The parameter's "2" is compared as the number ECS keeps.
    expect(JSON.parse(found.Service.ExpectedProperties!)).toMatchObject({
      DesiredCount: 2,
      DeploymentConfiguration: { MaximumPercent: 200 },
      ServiceName: 'drift-service',
    });
    expect(found.Service.ActualProperties).toBe(
      found.Service.ExpectedProperties,
    );
    expect(JSON.parse(found.Group.ExpectedProperties!)).toMatchObject({
      SecurityGroupIngress: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIp: '10.0.0.0/16',
        },
      ],
    });

    const { Stacks } = await cfn().send(
      new DescribeStacksCommand({ StackName: 'drift' }),
    );
    expect(Stacks![0].DriftInformation).toEqual({
      StackDriftStatus: 'IN_SYNC',
      LastCheckTimestamp: status.Timestamp,
    });
    const { StackResourceSummaries } = await cfn().send(
      new ListStackResourcesCommand({ StackName: 'drift' }),
    );
    const info = Object.fromEntries(
      StackResourceSummaries!.map(r => [
        r.LogicalResourceId,
        r.DriftInformation,
      ]),
    );
    expect(info.Handle).toEqual({ StackResourceDriftStatus: 'NOT_CHECKED' });
    expect(info.TaskDef).toEqual({ StackResourceDriftStatus: 'NOT_CHECKED' });
    expect(info.Service).toEqual({
      StackResourceDriftStatus: 'IN_SYNC',
      LastCheckTimestamp: status.Timestamp,
    });
  });

  it('reports out-of-band changes with their property differences', async () => {
    await new ApplicationAutoScalingClient(t.config).send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/drift-cluster/drift-service',
        ScalableDimension: 'ecs:service:DesiredCount',
        MaxCapacity: 8,
      }),
    );
    await new ECSClient(t.config).send(
      new UpdateServiceCommand({
        cluster: 'drift-cluster',
        service: 'drift-service',
        desiredCount: 5,
      }),
    );
    await new SSMClient(t.config).send(
      new PutParameterCommand({
        Name: '/drift/image',
        Value: 'app:hotfix',
        Overwrite: true,
      }),
    );
    await new CloudWatchLogsClient(t.config).send(
      new PutRetentionPolicyCommand({
        logGroupName: '/drift/app',
        retentionInDays: 30,
      }),
    );
    const authorize = await queryRequest(t.sb, 'ec2', {
      Action: 'AuthorizeSecurityGroupIngress',
      Version: '2016-11-15',
      GroupId: groupId,
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': 22,
      'IpPermissions.1.ToPort': 22,
      'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0',
    });
    expect(authorize.status).toBe(200);
    expect(text(authorize.xml, 'return')).toBe('true');

    const status = await detect(t);
    expect(status).toMatchObject({
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 5,
    });
    const found = await drifts(t);
    const differences = (id: string) => found[id].PropertyDifferences;
    expect(found.Cluster.StackResourceDriftStatus).toBe('IN_SYNC');
    expect(found.Service.StackResourceDriftStatus).toBe('MODIFIED');
    expect(differences('Service')).toEqual([
      {
        PropertyPath: '/DesiredCount',
        ExpectedValue: '2',
        ActualValue: '5',
        DifferenceType: 'NOT_EQUAL',
      },
    ]);
    expect(JSON.parse(found.Service.ActualProperties!).DesiredCount).toBe(5);
    expect(differences('Param')).toEqual([
      {
        PropertyPath: '/Value',
        ExpectedValue: 'app:1',
        ActualValue: 'app:hotfix',
        DifferenceType: 'NOT_EQUAL',
      },
    ]);
    expect(differences('Logs')).toEqual([
      {
        PropertyPath: '/RetentionInDays',
        ExpectedValue: '7',
        ActualValue: '30',
        DifferenceType: 'NOT_EQUAL',
      },
    ]);
    expect(differences('Target')).toEqual([
      {
        PropertyPath: '/MaxCapacity',
        ExpectedValue: '4',
        ActualValue: '8',
        DifferenceType: 'NOT_EQUAL',
      },
    ]);
    expect(differences('Group')).toEqual([
      {
        PropertyPath: '/SecurityGroupIngress/1',
        ExpectedValue: 'null',
        ActualValue:
          '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}',
        DifferenceType: 'ADD',
      },
    ]);

    const { Stacks } = await cfn().send(
      new DescribeStacksCommand({ StackName: 'drift' }),
    );
    expect(Stacks![0].DriftInformation).toEqual({
      StackDriftStatus: 'DRIFTED',
      LastCheckTimestamp: status.Timestamp,
    });
  });

  it('filters by drift status and pages with MaxResults and NextToken', async () => {
    expect(Object.keys(await drifts(t, ['IN_SYNC']))).toEqual(['Cluster']);
    expect(
      Object.keys(await drifts(t, ['MODIFIED', 'DELETED'])).sort(),
    ).toEqual(['Group', 'Logs', 'Param', 'Service', 'Target']);
    expect(await drifts(t, ['NOT_CHECKED'])).toEqual({});

    const pages: string[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await cfn().send(
        new DescribeStackResourceDriftsCommand({
          StackName: 'drift',
          MaxResults: 4,
          NextToken,
        }),
      );
      pages.push(page.StackResourceDrifts!.map(d => d.LogicalResourceId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages.map(p => p.length)).toEqual([4, 2]);
    expect(pages.flat().sort()).toEqual([...CHECKED].sort());

    const first = await cfn().send(
      new DescribeStackResourceDriftsCommand({
        StackName: 'drift',
        MaxResults: 1,
        StackResourceDriftStatusFilters: ['MODIFIED'],
      }),
    );
    // A token belongs to the filters it was issued for.
    await expect(
      cfn().send(
        new DescribeStackResourceDriftsCommand({
          StackName: 'drift',
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      cfn().send(
        new DescribeStackResourceDriftsCommand({
          StackName: 'drift',
          MaxResults: 101,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        "Value '101' at 'maxResults' failed to satisfy constraint",
      ),
    });
  });

  it('checks one resource at once, including a removed rule and a deleted parameter', async () => {
    const revoke = await queryRequest(t.sb, 'ec2', {
      Action: 'RevokeSecurityGroupIngress',
      Version: '2016-11-15',
      GroupId: groupId,
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': 443,
      'IpPermissions.1.ToPort': 443,
      'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/16',
    });
    expect(revoke.status).toBe(200);
    t.sb.advance(60);
    const { StackResourceDrift: group } = await cfn().send(
      new DetectStackResourceDriftCommand({
        StackName: 'drift',
        LogicalResourceId: 'Group',
      }),
    );
    expect(group).toMatchObject({
      LogicalResourceId: 'Group',
      PhysicalResourceId: groupId,
      ResourceType: 'AWS::EC2::SecurityGroup',
      StackResourceDriftStatus: 'MODIFIED',
    });
    expect(group!.PropertyDifferences).toEqual([
      {
        PropertyPath: '/SecurityGroupIngress/0',
        ExpectedValue:
          '{"CidrIp":"10.0.0.0/16","FromPort":443,"IpProtocol":"tcp","ToPort":443}',
        ActualValue: 'null',
        DifferenceType: 'REMOVE',
      },
      {
        PropertyPath: '/SecurityGroupIngress/0',
        ExpectedValue: 'null',
        ActualValue:
          '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}',
        DifferenceType: 'ADD',
      },
    ]);

    await new SSMClient(t.config).send(
      new DeleteParameterCommand({ Name: '/drift/image' }),
    );
    const { StackResourceDrift: param } = await cfn().send(
      new DetectStackResourceDriftCommand({
        StackName: 'drift',
        LogicalResourceId: 'Param',
      }),
    );
    expect(param).toMatchObject({
      StackResourceDriftStatus: 'DELETED',
      PhysicalResourceId: '/drift/image',
    });
    expect(param!.ExpectedProperties).toBeUndefined();
    expect(param!.ActualProperties).toBeUndefined();

    // The single checks are the resources' latest results.
    expect((await drifts(t, ['DELETED'])).Param.Timestamp).toEqual(
      param!.Timestamp,
    );
    const { StackResources } = await cfn().send(
      new DescribeStackResourcesCommand({
        StackName: 'drift',
        LogicalResourceId: 'Param',
      }),
    );
    expect(StackResources![0].DriftInformation).toEqual({
      StackResourceDriftStatus: 'DELETED',
      LastCheckTimestamp: param!.Timestamp,
    });
    const { Stacks } = await cfn().send(
      new DescribeStacksCommand({ StackName: 'drift' }),
    );
    expect(Stacks![0].DriftInformation!.LastCheckTimestamp).toEqual(
      param!.Timestamp,
    );
  });
});
