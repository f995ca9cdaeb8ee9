import { ConfigReader } from '@backstage/config';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import { SEED_CONFIG } from './__testUtils__/fixtures';
import { buildProjectEntities } from './entities';

describe('buildProjectEntities', () => {
  const environments = readAwsEnvironments(new ConfigReader(SEED_CONFIG));

  it('builds a System, a Component and one aws-environment Resource per environment', () => {
    const entities = buildProjectEntities({
      project: 'devops-app',
      owner: 'group:default/devops-team',
      environments: environments.filter(e => ['test', 'prod'].includes(e.name)),
    });
    expect(entities.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      'System:devops-app',
      'Component:devops-app',
      'Resource:devops-app-test',
      'Resource:devops-app-prod',
    ]);
    const [system, component, test, prod] = entities;
    expect(system.spec).toEqual({ owner: 'group:default/devops-team' });
    // The system names the environments too: without them it would stand
    // for every configured one.
    expect(system.metadata.annotations).toEqual({
      'aws-environments.io/project': 'devops-app',
      'aws-environments.io/environments': 'test,prod',
    });
    expect(component.spec).toMatchObject({
      type: 'service',
      owner: 'group:default/devops-team',
      system: 'system:default/devops-app',
      dependsOn: [
        'resource:default/devops-app-test',
        'resource:default/devops-app-prod',
      ],
    });
    expect(component.metadata.annotations).toEqual({
      'aws-environments.io/project': 'devops-app',
      'aws-environments.io/environments': 'test,prod',
    });
    expect(prod.spec).toEqual({
      type: 'aws-environment',
      owner: 'group:default/devops-team',
      system: 'system:default/devops-app',
      dependencyOf: ['component:default/devops-app'],
    });
    expect(prod.metadata.annotations).toEqual({
      'aws-environments.io/project': 'devops-app',
      'aws-environments.io/environment': 'prod',
      'aws-environments.io/account-id': '000000000000',
      'aws-environments.io/region': 'us-east-1',
      'aws-environments.io/stack-name': 'devops-app-prod',
      'aws-environments.io/ecs-cluster': 'devops-app-prod-ecs-cluster',
      'aws-environments.io/ecs-service': 'devops-app-prod-service',
      'aws-environments.io/log-group': '/ecs/devops-app-prod',
      'aws-environments.io/ssm-parameter-path': '/devops-app/prod/',
      'aws.amazon.com/amazon-ecs-service-arn':
        'arn:aws:ecs:us-east-1:000000000000:service/devops-app-prod-ecs-cluster/devops-app-prod-service',
    });
    expect(test.metadata.title).toBe('devops-app Test');
  });

  it('uses the partition of the region in ARNs', () => {
    const [, , resource] = buildProjectEntities({
      project: 'devops-app',
      owner: 'user:default/jane',
      environments: [{ ...environments[0], region: 'cn-north-1' }],
    });
    expect(
      resource.metadata.annotations!['aws.amazon.com/amazon-ecs-service-arn'],
    ).toMatch(/^arn:aws-cn:ecs:cn-north-1:/);
  });
});
