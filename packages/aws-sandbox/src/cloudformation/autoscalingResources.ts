/*
 * Application Auto Scaling resources as live scalable targets and policies
 * the Application Auto Scaling API describes.
 */
import {
  deleteScalingPolicy,
  deregisterScalableTarget,
  putScalingPolicy,
  registerScalableTarget,
} from '../services/autoscaling';
import type { Provider } from './provider';

export const autoscalingProviders: Record<string, Provider> = {
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    create: (p, ctx) => {
      const t = registerScalableTarget(ctx, scalableTargetInput(p));
      const id = `${t.ResourceId}|${t.ScalableDimension}|${t.ServiceNamespace}`;
      return { physicalId: id, attributes: { Id: id } };
    },
    update: (physicalId, p, previous, ctx) => {
      registerScalableTarget(ctx, scalableTargetInput(p));
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const [id, dim, ns] = physicalId.split('|');
      try {
        deregisterScalableTarget(ctx, ns, id, dim);
      } catch {
        // already gone
      }
    },
    replaceOn: ['ResourceId', 'ScalableDimension', 'ServiceNamespace'],
  },

  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    create: (p, ctx) => {
      let { ResourceId: id, ScalableDimension: dim, ServiceNamespace: ns } = p;
      if (p.ScalingTargetId)
        [id, dim, ns] = String(p.ScalingTargetId).split('|');
      const policy = putScalingPolicy(ctx, {
        PolicyName: p.PolicyName,
        PolicyType: p.PolicyType,
        ResourceId: id,
        ScalableDimension: dim,
        ServiceNamespace: ns,
        TargetTrackingScalingPolicyConfiguration: numeric(
          p.TargetTrackingScalingPolicyConfiguration,
        ),
        StepScalingPolicyConfiguration: numeric(
          p.StepScalingPolicyConfiguration,
        ),
      });
      return {
        physicalId: policy.PolicyARN,
        attributes: { Arn: policy.PolicyARN },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const existing = ctx.regionState.autoscaling.policies[physicalId];
      if (existing) {
        existing.TargetTrackingScalingPolicyConfiguration = numeric(
          p.TargetTrackingScalingPolicyConfiguration,
        );
        existing.StepScalingPolicyConfiguration = numeric(
          p.StepScalingPolicyConfiguration,
        );
      }
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const policy = ctx.regionState.autoscaling.policies[physicalId];
      if (policy) deleteScalingPolicy(ctx, policy);
    },
    replaceOn: [
      'PolicyName',
      'ScalingTargetId',
      'ResourceId',
      'ScalableDimension',
      'ServiceNamespace',
      'PolicyType',
    ],
  },
};

/** The RegisterScalableTarget request of a ScalableTarget's properties. */
function scalableTargetInput(p: any) {
  return {
    ServiceNamespace: p.ServiceNamespace,
    ResourceId: p.ResourceId,
    ScalableDimension: p.ScalableDimension,
    MinCapacity: Number(p.MinCapacity),
    MaxCapacity: Number(p.MaxCapacity),
    RoleARN: p.RoleARN,
    SuspendedState: p.SuspendedState,
  };
}

/** CFN passes numbers in nested objects as strings sometimes; the API wants numbers. */
function numeric(value: any): any {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(numeric);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      typeof v === 'string' &&
      /^-?\d+(\.\d+)?$/.test(v) &&
      /Value|Cooldown|Period|Bound|Adjustment|Magnitude/.test(k)
        ? Number(v)
        : numeric(v);
  }
  return out;
}
