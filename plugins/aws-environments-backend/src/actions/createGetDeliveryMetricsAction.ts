import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { PromotionService } from '../promotions/PromotionService';

/**
 * `get-delivery-metrics`: deployment frequency, change failure rate, time
 * to restore and lead time of a component's project, from the promotion
 * history. Same service as `GET /delivery-metrics`, so the caller's catalog
 * visibility applies.
 */
export function createGetDeliveryMetricsAction(options: {
  actionsRegistry: ActionsRegistryService;
  promotions: PromotionService;
}) {
  const { actionsRegistry, promotions } = options;
  actionsRegistry.register({
    name: 'get-delivery-metrics',
    title: 'Get delivery metrics',
    description: `Returns the delivery metrics of a component's project over the last N days, from its promotion history along the promotion path (test → qa → staging → prod, as configured): per environment, successful deployments (and per week), change failure rate (failed or rolled-back promotions / all promotions), and time to restore (failure to the next successful deployment); and the lead time of each image from the first environment to the last.

The entity must be a Component carrying the aws-environments.io/project annotation. entityRef has the form "component:namespace/name", e.g. "component:default/shop".`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Component reference, e.g. component:default/shop'),
          days: z
            .number()
            .int()
            .min(1)
            .max(365)
            .default(30)
            .describe('The window, in days up to now'),
        }),
      output: z =>
        z.object({
          project: z.string(),
          days: z.number(),
          environments: z.array(
            z.object({
              environment: z.string(),
              deployments: z.number(),
              deploymentsPerWeek: z.number(),
              changeFailureRate: z.number().optional(),
              medianMinutesToRestore: z.number().optional(),
            }),
          ),
          medianLeadTimeMinutes: z.number().optional(),
          imagesDelivered: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const metrics = await promotions.deliveryMetrics(input, credentials);
      return {
        output: {
          project: metrics.project,
          days: metrics.window.days,
          environments: metrics.environments.map(env => ({
            environment: env.environment,
            deployments: env.deployments,
            deploymentsPerWeek: env.deploymentsPerWeek,
            changeFailureRate: env.changeFailureRate,
            medianMinutesToRestore: env.timeToRestore.medianMinutes,
          })),
          medianLeadTimeMinutes: metrics.leadTime.medianMinutes,
          imagesDelivered: metrics.leadTime.images.length,
        },
      };
    },
  });
}
