/* A stack of one Fargate task definition and its service, for CloudFormation tests. */
export interface EcsServiceOptions {
  cluster: string;
  name: string;
  image?: string;
  desiredCount?: number;
  breaker?: { Enable: boolean; Rollback: boolean };
}

/** A Fargate task definition (family = the service's name) and a service. */
export function ecsServiceTemplate(o: EcsServiceOptions): string {
  return JSON.stringify({
    Resources: {
      TaskDef: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: o.name,
          RequiresCompatibilities: ['FARGATE'],
          NetworkMode: 'awsvpc',
          Cpu: '256',
          Memory: '512',
          ContainerDefinitions: [
            { Name: 'app', Image: o.image ?? 'app:1', Essential: true },
          ],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          ServiceName: o.name,
          Cluster: o.cluster,
          TaskDefinition: { Ref: 'TaskDef' },
          DesiredCount: o.desiredCount ?? 2,
          LaunchType: 'FARGATE',
          NetworkConfiguration: {
            AwsvpcConfiguration: { Subnets: ['subnet-a', 'subnet-b'] },
          },
          ...(o.breaker
            ? {
                DeploymentConfiguration: {
                  DeploymentCircuitBreaker: o.breaker,
                  MaximumPercent: 200,
                  MinimumHealthyPercent: 100,
                },
              }
            : {}),
        },
      },
    },
  });
}
