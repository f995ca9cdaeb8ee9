import {
  EntityCostResponse,
  EntityDriftResponse,
  EnvironmentCostEstimate,
} from '@envplane/plugin-aws-environments-common';

const ENTITY = 'component:default/devops-app';

/** What GET /entity/.../cost answers for these environments. */
export function entityCost(environments: string[]): EntityCostResponse {
  return {
    entityRef: ENTITY,
    currency: 'USD',
    environments: environments.map(environment => ({
      environment,
      region: 'us-east-1',
      settings: {
        taskCpu: 256,
        taskMemory: 512,
        desiredCount: 2,
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: false,
      },
      // Only what the tab shows of an estimate.
      estimate: {
        monthly: { low: 123.4, high: 199.9 },
      } as EnvironmentCostEstimate,
      monthlyAtDesired: 131.5,
    })),
    total: {
      monthly: { low: 123.4, high: 199.9 },
      monthlyAtDesired: 131.5,
      complete: true,
    },
    priceDate: '2026-12-01T00:00:00.000Z',
  } as EntityCostResponse;
}

/** What GET /entity/.../drift answers: `drifted` ones with one change. */
export function entityDrift(
  environments: string[],
  drifted: string[] = [],
): EntityDriftResponse {
  return {
    entityRef: ENTITY,
    environments: environments.map(environment => ({
      environment,
      stackName: `devops-app-${environment}`,
      status: drifted.includes(environment) ? 'drifted' : 'in_sync',
      driftedResourceCount: drifted.includes(environment) ? 1 : 0,
      resources: drifted.includes(environment)
        ? [
            {
              logicalId: 'AppService',
              resourceType: 'AWS::ECS::Service',
              status: 'MODIFIED',
              differences: [
                {
                  path: '/DesiredCount',
                  expected: '2',
                  actual: '5',
                  differenceType: 'NOT_EQUAL',
                },
              ],
            },
          ]
        : [],
      checkedAt: '2026-12-01T08:30:00.000Z',
    })),
  };
}
