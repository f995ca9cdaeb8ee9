import {
  DeliveryMetricsResponse,
  EnvironmentDeliveryMetrics,
} from '@envplane/plugin-aws-environments-common';

const quiet = (environment: string): EnvironmentDeliveryMetrics => ({
  environment,
  deployments: 0,
  deploymentsPerWeek: 0,
  changes: 0,
  failed: 0,
  rolledBack: 0,
  timeToRestore: { restored: 0, unrestored: 0 },
});

/**
 * A month of a project: qa had 4 deployments, one of 4 changes failed and
 * was fixed 42 minutes later; staging had a change rolled back; one image
 * reached prod in 5.5 hours.
 */
export function deliveryMetrics(
  entityRef: string,
  days = 30,
): DeliveryMetricsResponse {
  const project = entityRef.split('/')[1];
  return {
    entityRef,
    project,
    window: {
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      days,
    },
    environments: [
      quiet('test'),
      {
        environment: 'qa',
        deployments: 4,
        deploymentsPerWeek: 0.9,
        changes: 4,
        failed: 1,
        rolledBack: 0,
        changeFailureRate: 0.25,
        timeToRestore: { restored: 1, unrestored: 0, medianMinutes: 42 },
      },
      {
        environment: 'staging',
        deployments: 3,
        deploymentsPerWeek: 0.7,
        changes: 2,
        failed: 0,
        rolledBack: 1,
        changeFailureRate: 0.5,
        timeToRestore: { restored: 1, unrestored: 0, medianMinutes: 15 },
      },
      quiet('prod'),
    ],
    leadTime: {
      from: 'test',
      to: 'prod',
      medianMinutes: 330,
      images: [
        {
          image: `${project}:1.0.0`,
          startedAt: '2026-11-20T08:00:00.000Z',
          deliveredAt: '2026-11-20T13:30:00.000Z',
          minutes: 330,
        },
      ],
    },
  };
}
