import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { isCrashedTask } from '@envplane/plugin-aws-environments-common';
import { EntityStatusReader } from '../service/EntityStatusReader';

/**
 * `get-aws-environment-status`: health, findings and task counts of an
 * entity's environments, for AI assistants and other action clients. It goes
 * through the same reader as the HTTP API, so the caller's catalog
 * visibility and permissions apply; parameters, logs and metrics are left
 * out to keep answers small.
 */
export function createGetAwsEnvironmentStatusAction(options: {
  actionsRegistry: ActionsRegistryService;
  reader: EntityStatusReader;
}) {
  const { actionsRegistry, reader } = options;
  actionsRegistry.register({
    name: 'get-aws-environment-status',
    title: 'Get AWS environment status',
    description: `Returns the health of a catalog entity's AWS environments (test, qa, staging, prod, as configured): overall health, findings such as crash-looping tasks or failed deployments, ECS task counts, and which AWS sources could not be read.

The entity must carry the aws-environments.io/project annotation. entityRef has the form "kind:namespace/name", e.g. "component:default/shop".`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity reference, e.g. component:default/shop'),
          environment: z
            .string()
            .optional()
            .describe('One environment name; all when omitted'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          environments: z.array(
            z.object({
              name: z.string(),
              health: z.enum(['healthy', 'degraded', 'unhealthy', 'unknown']),
              findings: z.array(
                z.object({
                  id: z.string(),
                  severity: z.enum(['error', 'warning', 'info']),
                  title: z.string(),
                  message: z.string(),
                }),
              ),
              counts: z.object({
                desired: z.number(),
                running: z.number(),
                pending: z.number(),
                recentlyFailedTasks: z.number(),
              }),
              errors: z.array(
                z.object({
                  source: z.string(),
                  type: z.string(),
                  message: z.string(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const status = await reader.read({
        entityRef: input.entityRef,
        environment: input.environment,
        range: '1h',
        credentials,
      });
      return {
        output: {
          entityRef: status.entityRef,
          environments: status.environments.map(env => ({
            name: env.name,
            health: env.health,
            findings: env.findings.map(({ id, severity, title, message }) => ({
              id,
              severity,
              title,
              message,
            })),
            counts: {
              desired: env.service?.desiredCount ?? 0,
              running: env.service?.runningCount ?? 0,
              pending: env.service?.pendingCount ?? 0,
              recentlyFailedTasks: env.tasks.filter(isCrashedTask).length,
            },
            errors: env.errors.map(({ source, type, message }) => ({
              source,
              type,
              message,
            })),
          })),
        },
      };
    },
  });
}
