import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { ReadContext } from './readContext';

/**
 * The service's auto scaling bounds, or undefined when it does not scale.
 * One DescribeScalableTargets call scoped to exactly this service.
 */
export async function readScaling(
  ctx: ReadContext,
): Promise<{ minCapacity: number; maxCapacity: number } | undefined> {
  const { clusterName, serviceName } = ctx.names;
  const response = await ctx.clients.autoscaling.send(
    new DescribeScalableTargetsCommand({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceIds: [`service/${clusterName}/${serviceName}`],
    }),
    { abortSignal: ctx.abortSignal },
  );
  const target = response.ScalableTargets?.[0];
  if (target?.MinCapacity === undefined || target.MaxCapacity === undefined) {
    return undefined;
  }
  return { minCapacity: target.MinCapacity, maxCapacity: target.MaxCapacity };
}
