import {
  CloudFormationClient,
  DescribeStacksCommand,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsEntityProvider } from './AwsEnvironmentsEntityProvider';

const env = (
  name: string,
  accountId = '000000000000',
): AwsEnvironmentConfig => ({
  name,
  title: name,
  accountId,
  region: 'us-east-1',
  vpcCidr: '10.1.0.0/16',
  promotion: { trigger: 'manual', reviewRequired: false, approvers: [] },
});
const environments = [env('test'), env('qa'), env('prod', '111111111111')];

function stack(
  name: string,
  status: string,
  tags: Record<string, string>,
): Stack {
  return {
    StackName: name,
    StackStatus: status as any,
    CreationTime: new Date(),
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  };
}
const tags = (project: string, environment: string) => ({
  Project: project,
  Environment: environment,
  Owner: 'group:default/devops-team',
  CreatedBy: 'backstage',
});

describe('AwsEnvironmentsEntityProvider', () => {
  const cfn = mockClient(CloudFormationClient);
  beforeEach(() => cfn.reset());

  function setup() {
    const applyMutation = jest.fn();
    const connection = {
      applyMutation,
      refresh: jest.fn(),
    } as EntityProviderConnection;
    const clientFor = jest.fn(
      async () => new CloudFormationClient({ region: 'us-east-1' }),
    );
    const provider = new AwsEnvironmentsEntityProvider({
      environments,
      clientFor,
      logger: mockServices.logger.mock(),
    });
    return { provider, connection, applyMutation, clientFor };
  }

  it('builds a System, a Component and a Resource per environment from the stacks', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        stack('devops-app-qa', 'CREATE_COMPLETE', tags('devops-app', 'qa')),
        stack('devops-app-test', 'UPDATE_COMPLETE', tags('devops-app', 'test')),
        // Not ours, failed, or named against the convention: ignored.
        stack('other', 'CREATE_COMPLETE', { Project: 'x' }),
        stack('shop-test', 'ROLLBACK_COMPLETE', tags('shop', 'test')),
        stack('renamed', 'CREATE_COMPLETE', tags('shop', 'test')),
      ],
    });
    const { provider, connection, applyMutation, clientFor } = setup();
    await provider.connect(connection);
    await provider.refresh();

    // One listing per (account, region), not per environment.
    expect(clientFor).toHaveBeenCalledTimes(2);
    const { entities } = applyMutation.mock.calls[0][0];
    const refs = entities.map(
      (e: any) => `${e.entity.kind}:${e.entity.metadata.name}`,
    );
    expect(refs).toEqual([
      'System:devops-app',
      'Component:devops-app',
      'Resource:devops-app-test',
      'Resource:devops-app-qa',
    ]);
    const component = entities[1].entity;
    expect(component.spec.owner).toBe('group:default/devops-team');
    expect(component.metadata.annotations['aws-environments.io/project']).toBe(
      'devops-app',
    );
    expect(
      component.metadata.annotations['aws-environments.io/environments'],
    ).toBe('test,qa');
    const qa = entities[3].entity;
    expect(qa.spec.type).toBe('aws-environment');
    expect(qa.metadata.annotations['aws-environments.io/ecs-cluster']).toBe(
      'devops-app-qa-ecs-cluster',
    );
    expect(
      qa.metadata.annotations['aws.amazon.com/amazon-ecs-service-arn'],
    ).toBe(
      'arn:aws:ecs:us-east-1:000000000000:service/devops-app-qa-ecs-cluster/devops-app-qa-service',
    );
  });

  it('keeps the catalog as it is when an account cannot be listed', async () => {
    cfn.on(DescribeStacksCommand).rejects(new Error('AccessDenied'));
    const { provider, connection, applyMutation } = setup();
    await provider.connect(connection);
    await provider.refresh();
    expect(applyMutation).not.toHaveBeenCalled();
  });

  it('removes a project whose stacks are gone', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const { provider, connection, applyMutation } = setup();
    await provider.connect(connection);
    await provider.refresh();
    expect(applyMutation).toHaveBeenCalledWith({ type: 'full', entities: [] });
  });
});
