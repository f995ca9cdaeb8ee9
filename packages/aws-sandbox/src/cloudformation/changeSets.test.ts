/*
 * Change set details as CloudFormation reports them (CloudFormation User
 * Guide, "Example change sets"): a property changed through a parameter is a
 * Dynamic DirectModification plus a Static ParameterReference naming the
 * parameter; a task definition that is replaced changes the Ref of the
 * service that runs it, which is listed as Modify, Replacement False, with a
 * Dynamic DirectModification and a Static ResourceReference to the task
 * definition (ResourceAttribute for Fn::GetAtt), and so on down the chain.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeChangeSetCommand,
  DescribeChangeSetCommandOutput,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { useSandbox, waitFor } from '../__testUtils__/sandbox';

const template = (image = 'app:${ImageTag}') =>
  JSON.stringify({
    Parameters: { ImageTag: { Type: 'String', Default: '1' } },
    Resources: {
      Cluster: {
        Type: 'AWS::ECS::Cluster',
        Properties: { ClusterName: 'cs-cluster' },
      },
      TaskDef: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'cs',
          ContainerDefinitions: [
            { Name: 'app', Image: { 'Fn::Sub': image }, Memory: 128 },
          ],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          ServiceName: 'cs-service',
          Cluster: { Ref: 'Cluster' },
          TaskDefinition: { Ref: 'TaskDef' },
          DesiredCount: 1,
          LaunchType: 'EC2',
        },
      },
      Current: {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Name: '/cs/current',
          Type: 'String',
          Value: { 'Fn::GetAtt': ['TaskDef', 'TaskDefinitionArn'] },
        },
      },
      // An alarm named after the task definition is replaced with it, and
      // the parameter that holds the alarm's name changes in turn.
      Alarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: { 'Fn::Sub': 'cs-${TaskDef}' },
          Namespace: 'AWS/ECS',
          MetricName: 'CPUUtilization',
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 80,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      },
      AlarmName: {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Name: '/cs/alarm',
          Type: 'String',
          Value: { Ref: 'Alarm' },
        },
      },
      Unrelated: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: 'cs-topic' },
      },
    },
  });

describe('change sets', () => {
  const t = useSandbox();
  const cfn = () => new CloudFormationClient(t.config);

  async function changeSet(
    name: string,
    templateBody: string,
    imageTag: string,
  ): Promise<DescribeChangeSetCommandOutput> {
    const cs = await cfn().send(
      new CreateChangeSetCommand({
        StackName: 'cs',
        ChangeSetName: name,
        TemplateBody: templateBody,
        Parameters: [{ ParameterKey: 'ImageTag', ParameterValue: imageTag }],
      }),
    );
    return waitFor(async () => {
      const d = await cfn().send(
        new DescribeChangeSetCommand({ ChangeSetName: cs.Id }),
      );
      return d.Status === 'CREATE_COMPLETE' ? d : undefined;
    });
  }

  const byId = (d: DescribeChangeSetCommandOutput) =>
    Object.fromEntries(
      d.Changes!.map(c => [
        c.ResourceChange!.LogicalResourceId!,
        c.ResourceChange!,
      ]),
    );

  it('lists the service of a replaced task definition, and what follows from it', async () => {
    await cfn().send(
      new CreateStackCommand({ StackName: 'cs', TemplateBody: template() }),
    );
    await waitFor(async () => {
      const s = (
        await cfn().send(new DescribeStacksCommand({ StackName: 'cs' }))
      ).Stacks![0];
      return s.StackStatus === 'CREATE_COMPLETE';
    });

    const described = await changeSet('image-2', template(), '2');
    const changes = byId(described);
    expect(Object.keys(changes)).toEqual([
      'TaskDef',
      'Service',
      'Current',
      'Alarm',
      'AlarmName',
    ]);
    expect(changes.TaskDef).toMatchObject({
      Action: 'Modify',
      Replacement: 'True',
      Scope: ['Properties'],
      Details: [
        {
          Target: {
            Attribute: 'Properties',
            Name: 'ContainerDefinitions',
            RequiresRecreation: 'Always',
          },
          Evaluation: 'Dynamic',
          ChangeSource: 'DirectModification',
        },
        {
          Target: {
            Attribute: 'Properties',
            Name: 'ContainerDefinitions',
            RequiresRecreation: 'Always',
          },
          Evaluation: 'Static',
          ChangeSource: 'ParameterReference',
          CausingEntity: 'ImageTag',
        },
      ],
    });
    const taskDefinition = {
      Attribute: 'Properties',
      Name: 'TaskDefinition',
      RequiresRecreation: 'Never',
    };
    expect(changes.Service).toEqual({
      Action: 'Modify',
      LogicalResourceId: 'Service',
      PhysicalResourceId:
        'arn:aws:ecs:us-east-1:000000000000:service/cs-cluster/cs-service',
      ResourceType: 'AWS::ECS::Service',
      Replacement: 'False',
      Scope: ['Properties'],
      Details: [
        {
          Target: taskDefinition,
          Evaluation: 'Dynamic',
          ChangeSource: 'DirectModification',
        },
        {
          Target: taskDefinition,
          Evaluation: 'Static',
          ChangeSource: 'ResourceReference',
          CausingEntity: 'TaskDef',
        },
      ],
    });
    expect(changes.Current).toMatchObject({
      Replacement: 'False',
      Details: [
        { Evaluation: 'Dynamic', ChangeSource: 'DirectModification' },
        {
          Target: {
            Attribute: 'Properties',
            Name: 'Value',
            RequiresRecreation: 'Never',
          },
          Evaluation: 'Static',
          ChangeSource: 'ResourceAttribute',
          CausingEntity: 'TaskDef.TaskDefinitionArn',
        },
      ],
    });
    expect(changes.Alarm).toMatchObject({
      Replacement: 'True',
      Details: [
        { Evaluation: 'Dynamic' },
        {
          Target: { Name: 'AlarmName', RequiresRecreation: 'Always' },
          ChangeSource: 'ResourceReference',
          CausingEntity: 'TaskDef',
        },
      ],
    });
    expect(changes.AlarmName).toMatchObject({
      Replacement: 'False',
      Details: [
        { Evaluation: 'Dynamic' },
        { ChangeSource: 'ResourceReference', CausingEntity: 'Alarm' },
      ],
    });

    // Executing it does what it said: a new revision, the service runs it.
    await cfn().send(
      new ExecuteChangeSetCommand({ ChangeSetName: described.ChangeSetId }),
    );
    await waitFor(async () => {
      const s = (
        await cfn().send(new DescribeStacksCommand({ StackName: 'cs' }))
      ).Stacks![0];
      return s.StackStatus === 'UPDATE_COMPLETE';
    });
    const service = (
      await new ECSClient(t.config).send(
        new DescribeServicesCommand({
          cluster: 'cs-cluster',
          services: ['cs-service'],
        }),
      )
    ).services![0];
    expect(service.taskDefinition).toBe(
      'arn:aws:ecs:us-east-1:000000000000:task-definition/cs:2',
    );
  });

  it('reports an edit of the template itself as a static direct modification', async () => {
    const described = await changeSet('literal', template('app:latest'), '2');
    const changes = byId(described);
    expect(changes.TaskDef.Details).toEqual([
      {
        Target: {
          Attribute: 'Properties',
          Name: 'ContainerDefinitions',
          RequiresRecreation: 'Always',
        },
        Evaluation: 'Static',
        ChangeSource: 'DirectModification',
      },
    ]);
    // The service follows the replaced task definition here too.
    expect(changes.Service).toMatchObject({
      Replacement: 'False',
      Details: [
        { Evaluation: 'Dynamic' },
        { ChangeSource: 'ResourceReference', CausingEntity: 'TaskDef' },
      ],
    });
    expect(changes.Unrelated).toBeUndefined();
    expect(changes.Cluster).toBeUndefined();
  });
});
