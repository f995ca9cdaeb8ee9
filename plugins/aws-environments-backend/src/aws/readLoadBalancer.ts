import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { errorMessage } from '@envplane/plugin-aws-environments-common';
import { ReadContext } from './readContext';
import { errorName } from './toEnvironmentError';

/** Load balancers change rarely; a stack is asked again after this. */
const LOAD_BALANCER_TTL_MS = 10 * 60_000;

/**
 * The CloudWatch `LoadBalancer` dimension (`app/<name>/<id>`) of the
 * environment stack's application load balancer, or undefined when the
 * stack has none (the seed's environments have no ALB yet) or does not
 * exist. Other failures throw.
 */
export async function readLoadBalancerDimension(
  ctx: ReadContext,
): Promise<string | undefined> {
  const { stackName } = ctx.names;
  const { accountId, region } = ctx.environment;
  const key = `stack-load-balancer:${accountId}:${region}:${stackName}`;
  const cached = await ctx.cache.get<string>(key);
  if (cached !== undefined) {
    return cached || undefined;
  }
  let dimension = '';
  try {
    const { StackResources } = await ctx.clients.cloudformation.send(
      new DescribeStackResourcesCommand({ StackName: stackName }),
      { abortSignal: ctx.abortSignal },
    );
    const arn = StackResources?.find(
      r => r.ResourceType === 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    )?.PhysicalResourceId;
    // arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>
    dimension = arn?.split(':loadbalancer/')[1] ?? '';
  } catch (error) {
    // CloudFormation reports a missing stack as a ValidationError.
    const missing =
      errorName(error) === 'ValidationError' &&
      /does not exist/.test(errorMessage(error));
    if (!missing) {
      throw error;
    }
  }
  await ctx.cache.set(key, dimension, { ttl: LOAD_BALANCER_TTL_MS });
  return dimension || undefined;
}
