/*
 * Elastic Load Balancing v2 resources: ARNs, names and DNS names for
 * Fn::GetAtt; load balancers are not simulated.
 */
import { generatedName } from './provider';
import type { Provider } from './provider';
import { simple } from './resourceHelpers';

export const elbProviders: Record<string, Provider> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': simple(
    (p, ctx) => {
      const name = p.Name ?? generatedName(ctx, 32);
      const type = p.Type ?? 'application';
      const kinds: Record<string, string> = { network: 'net', gateway: 'gwy' };
      const kind = kinds[type] ?? 'app';
      const hex = ctx.sandbox.random.hex(16);
      const fullName = `${kind}/${name}/${hex}`;
      const internal = p.Scheme === 'internal';
      return {
        physicalId: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.caller.account}:loadbalancer/${fullName}`,
        attributes: {
          LoadBalancerArn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.caller.account}:loadbalancer/${fullName}`,
          LoadBalancerFullName: fullName,
          LoadBalancerName: name,
          DNSName: `${
            internal ? 'internal-' : ''
          }${name}-${ctx.sandbox.random.int(100000000, 2147483647)}.${
            ctx.region
          }.elb.amazonaws.com`,
          CanonicalHostedZoneID: 'Z35SXDOTRQ7X7K',
          SecurityGroups: p.SecurityGroups ?? [],
        },
      };
    },
    ['Name', 'Scheme', 'Type'],
  ),
  'AWS::ElasticLoadBalancingV2::TargetGroup': simple(
    (p, ctx) => {
      const name = p.Name ?? generatedName(ctx, 32);
      const hex = ctx.sandbox.random.hex(16);
      const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.caller.account}:targetgroup/${name}/${hex}`;
      return {
        physicalId: arn,
        attributes: {
          TargetGroupArn: arn,
          TargetGroupFullName: `targetgroup/${name}/${hex}`,
          TargetGroupName: name,
          LoadBalancerArns: [],
        },
      };
    },
    ['Name', 'Port', 'Protocol', 'TargetType', 'VpcId', 'ProtocolVersion'],
  ),
  'AWS::ElasticLoadBalancingV2::Listener': simple(
    (p, ctx) => {
      const lb = String(p.LoadBalancerArn ?? '');
      const tail = lb.includes(':loadbalancer/')
        ? lb.split(':loadbalancer/')[1]
        : `app/lb/${ctx.sandbox.random.hex(16)}`;
      const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${
        ctx.caller.account
      }:listener/${tail}/${ctx.sandbox.random.hex(16)}`;
      return { physicalId: arn, attributes: { ListenerArn: arn } };
    },
    ['LoadBalancerArn'],
  ),
  'AWS::ElasticLoadBalancingV2::ListenerRule': simple(
    (p, ctx) => {
      const listener = String(p.ListenerArn ?? '').replace(
        ':listener/',
        ':listener-rule/',
      );
      const arn = `${listener}/${ctx.sandbox.random.hex(16)}`;
      return {
        physicalId: arn,
        attributes: { RuleArn: arn, IsDefault: false },
      };
    },
    ['ListenerArn'],
  ),
};
