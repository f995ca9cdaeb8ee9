/*
 * The stack the drift tests detect drift on: one resource of each type the
 * sandbox checks (cluster, service, scalable target, parameter, log group,
 * security group), a task definition and a wait condition handle (types it
 * does not check), and the calls the tests repeat.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { TestSandbox, waitFor } from './sandbox';

export const driftTemplate = JSON.stringify({
  Parameters: { Count: { Type: 'Number', Default: '2' } },
  Resources: {
    Cluster: {
      Type: 'AWS::ECS::Cluster',
      Properties: { ClusterName: 'drift-cluster' },
    },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'drift',
        ContainerDefinitions: [{ Name: 'app', Image: 'app:1', Memory: 128 }],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        ServiceName: 'drift-service',
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: { Ref: 'TaskDef' },
        DesiredCount: { Ref: 'Count' },
        LaunchType: 'EC2',
        DeploymentConfiguration: { MaximumPercent: 200 },
      },
    },
    Target: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      DependsOn: 'Service',
      Properties: {
        ServiceNamespace: 'ecs',
        ResourceId: 'service/drift-cluster/drift-service',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 4,
      },
    },
    Param: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: '/drift/image', Type: 'String', Value: 'app:1' },
    },
    Logs: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/drift/app', RetentionInDays: 7 },
    },
    Group: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'drift test',
        SecurityGroupIngress: [
          {
            IpProtocol: '6',
            FromPort: 443,
            ToPort: '443',
            CidrIp: '10.0.0.0/16',
          },
        ],
      },
    },
    Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
  },
});

export const CHECKED = [
  'Cluster',
  'Service',
  'Target',
  'Param',
  'Logs',
  'Group',
];

export async function createDriftStack(t: TestSandbox, name = 'drift') {
  const cfn = new CloudFormationClient(t.config);
  await cfn.send(
    new CreateStackCommand({ StackName: name, TemplateBody: driftTemplate }),
  );
  await waitFor(async () => {
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: name }),
    );
    return Stacks![0].StackStatus === 'CREATE_COMPLETE';
  });
}

/**
 * Runs a stack detection to its end, checking that it is in progress until
 * the clock moves; returns its final status.
 */
export async function detect(
  t: TestSandbox,
  logicalIds?: string[],
  name = 'drift',
) {
  const cfn = new CloudFormationClient(t.config);
  const { StackDriftDetectionId } = await cfn.send(
    new DetectStackDriftCommand({
      StackName: name,
      LogicalResourceIds: logicalIds,
    }),
  );
  const status = () =>
    cfn.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
    );
  const running = await status();
  expect(running).toMatchObject({
    StackDriftDetectionId,
    DetectionStatus: 'DETECTION_IN_PROGRESS',
    DetectionStatusReason: 'User Initiated',
  });
  expect(running.StackDriftStatus).toBeUndefined();
  expect(running.DriftedStackResourceCount).toBeUndefined();
  t.sb.advance(10);
  return status();
}

/** The stack's current resource drifts by logical id. */
export async function drifts(
  t: TestSandbox,
  filters?: string[],
  name = 'drift',
): Promise<Record<string, StackResourceDrift>> {
  const { StackResourceDrifts } = await new CloudFormationClient(t.config).send(
    new DescribeStackResourceDriftsCommand({
      StackName: name,
      StackResourceDriftStatusFilters: filters as any,
    }),
  );
  return Object.fromEntries(
    StackResourceDrifts!.map(d => [d.LogicalResourceId!, d]),
  );
}
