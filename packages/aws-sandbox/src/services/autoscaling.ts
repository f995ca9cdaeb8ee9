/*
 * Application Auto Scaling (awsJson1_1, AnyScaleFrontendService.*): scalable
 * targets and scaling policies. Registering an ECS target clamps the
 * service's desired count into [MinCapacity, MaxCapacity], as AWS does on
 * the next scaling activity.
 */
import { AwsError } from '../protocol/errors';
import type { ScalableTarget, ScalingPolicy } from '../state';
import type { ModelContext, ServiceDefinition } from './types';
import { paginate } from './paging';

type Ctx = ModelContext;

const validation = (m: string) => new AwsError('ValidationException', m);
const NAMESPACES = new Set([
  'ecs',
  'elasticmapreduce',
  'ec2',
  'appstream',
  'dynamodb',
  'rds',
  'sagemaker',
  'custom-resource',
  'comprehend',
  'lambda',
  'cassandra',
  'kafka',
  'elasticache',
  'neptune',
  'workspaces',
]);

export const targetKey = (ns: string, id: string, dim: string) =>
  `${ns}|${id}|${dim}`;

export function registerScalableTarget(ctx: Ctx, input: any): ScalableTarget {
  const {
    ServiceNamespace: ns,
    ResourceId: id,
    ScalableDimension: dim,
  } = input;
  if (!NAMESPACES.has(ns)) {
    throw validation(
      `1 validation error detected: Value '${ns}' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set`,
    );
  }
  if (typeof id !== 'string' || !id) throw validation('ResourceId is required');
  if (typeof dim !== 'string' || !dim.startsWith(`${ns}:`)) {
    throw validation(
      `Unsupported scalable dimension ${dim} for service namespace ${ns}`,
    );
  }
  const key = targetKey(ns, id, dim);
  const existing = ctx.regionState.autoscaling.targets[key];
  const min = input.MinCapacity ?? existing?.MinCapacity;
  const max = input.MaxCapacity ?? existing?.MaxCapacity;
  if (min === undefined || max === undefined) {
    throw validation(
      'MinCapacity and MaxCapacity are required to register a new scalable target',
    );
  }
  if (min > max)
    throw validation(
      'Minimum capacity cannot be greater than maximum capacity',
    );
  if (ns === 'ecs') {
    const m = /^service\/([^/]+)\/([^/]+)$/.exec(id);
    const svc = m ? ctx.regionState.ecs.services[`${m[1]}/${m[2]}`] : undefined;
    if (!svc || svc.status !== 'ACTIVE') {
      throw validation(`ECS service doesn't exist: ${id}`);
    }
    const clamped = Math.min(max, Math.max(min, svc.desiredCount));
    if (clamped !== svc.desiredCount) {
      svc.desiredCount = clamped;
      ctx.sandbox.ecs.reconcileNow();
    }
  }
  const target: ScalableTarget = {
    ServiceNamespace: ns,
    ResourceId: id,
    ScalableDimension: dim,
    MinCapacity: min,
    MaxCapacity: max,
    RoleARN:
      input.RoleARN ??
      existing?.RoleARN ??
      `arn:aws:iam::${ctx.caller.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    CreationTime: existing?.CreationTime ?? ctx.now,
    SuspendedState: Object.assign(
      {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
      existing?.SuspendedState,
      input.SuspendedState,
    ),
    ScalableTargetARN:
      existing?.ScalableTargetARN ??
      `arn:aws:application-autoscaling:${ctx.region}:${
        ctx.caller.account
      }:scalable-target/${ctx.sandbox.random.hex(4)}${ctx.sandbox.random.hex(
        28,
      )}`,
  };
  ctx.regionState.autoscaling.targets[key] = target;
  return target;
}

export function deregisterScalableTarget(
  ctx: Ctx,
  ns: string,
  id: string,
  dim: string,
) {
  const key = targetKey(ns, id, dim);
  if (!ctx.regionState.autoscaling.targets[key]) {
    throw new AwsError(
      'ObjectNotFoundException',
      `No scalable target registered for service namespace: ${ns}, resource ID: ${id}, scalable dimension: ${dim}`,
    );
  }
  delete ctx.regionState.autoscaling.targets[key];
  for (const [arn, p] of Object.entries(ctx.regionState.autoscaling.policies)) {
    if (
      p.ServiceNamespace === ns &&
      p.ResourceId === id &&
      p.ScalableDimension === dim
    ) {
      delete ctx.regionState.autoscaling.policies[arn];
    }
  }
}

export function putScalingPolicy(ctx: Ctx, input: any): ScalingPolicy {
  const {
    PolicyName: name,
    ServiceNamespace: ns,
    ResourceId: id,
    ScalableDimension: dim,
  } = input;
  if (typeof name !== 'string' || !name)
    throw validation('PolicyName is required');
  if (!ctx.regionState.autoscaling.targets[targetKey(ns, id, dim)]) {
    throw new AwsError(
      'ObjectNotFoundException',
      `No scalable target registered for service namespace: ${ns}, resource ID: ${id}, scalable dimension: ${dim}`,
    );
  }
  const type = input.PolicyType ?? 'StepScaling';
  if (
    type === 'TargetTrackingScaling' &&
    !input.TargetTrackingScalingPolicyConfiguration
  ) {
    throw validation(
      'TargetTrackingScalingPolicyConfiguration is required for TargetTrackingScaling policies',
    );
  }
  const existing = Object.values(ctx.regionState.autoscaling.policies).find(
    p =>
      p.PolicyName === name &&
      p.ServiceNamespace === ns &&
      p.ResourceId === id &&
      p.ScalableDimension === dim,
  );
  const uuid = existing ? undefined : ctx.sandbox.random.uuid();
  const arn =
    existing?.PolicyARN ??
    `arn:aws:autoscaling:${ctx.region}:${ctx.caller.account}:scalingPolicy:${uuid}:resource/${ns}/${id}:policyName/${name}`;
  const alarms =
    type === 'TargetTrackingScaling'
      ? ['AlarmHigh', 'AlarmLow'].map(kind => {
          const alarmName = `TargetTracking-${id}-${kind}-${(uuid ?? arn).slice(
            0,
            36,
          )}`;
          return {
            AlarmName: alarmName,
            AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.caller.account}:alarm:${alarmName}`,
          };
        })
      : [];
  const policy: ScalingPolicy = {
    PolicyARN: arn,
    PolicyName: name,
    ServiceNamespace: ns,
    ResourceId: id,
    ScalableDimension: dim,
    PolicyType: type,
    TargetTrackingScalingPolicyConfiguration:
      input.TargetTrackingScalingPolicyConfiguration,
    StepScalingPolicyConfiguration: input.StepScalingPolicyConfiguration,
    Alarms: existing?.Alarms ?? alarms,
    CreationTime: existing?.CreationTime ?? ctx.now,
  };
  ctx.regionState.autoscaling.policies[arn] = policy;
  return policy;
}

export function deleteScalingPolicy(
  ctx: Ctx,
  arnOrName: {
    PolicyName: string;
    ServiceNamespace: string;
    ResourceId: string;
    ScalableDimension: string;
  },
) {
  const p = Object.values(ctx.regionState.autoscaling.policies).find(
    x =>
      x.PolicyName === arnOrName.PolicyName &&
      x.ServiceNamespace === arnOrName.ServiceNamespace &&
      x.ResourceId === arnOrName.ResourceId &&
      x.ScalableDimension === arnOrName.ScalableDimension,
  );
  if (!p) {
    throw new AwsError(
      'ObjectNotFoundException',
      `No scaling policy found for service namespace: ${arnOrName.ServiceNamespace}, resource ID: ${arnOrName.ResourceId}, scalable dimension: ${arnOrName.ScalableDimension}, policy name: ${arnOrName.PolicyName}`,
    );
  }
  delete ctx.regionState.autoscaling.policies[p.PolicyARN];
}

function checkNamespace(ns: unknown) {
  if (typeof ns !== 'string' || !NAMESPACES.has(ns)) {
    throw validation(
      `1 validation error detected: Value '${ns}' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set`,
    );
  }
}

const date = (t: number) => new Date(t);

export const autoscaling: ServiceDefinition = {
  name: 'application-autoscaling',
  signingName: 'application-autoscaling',
  protocol: 'json1.1',
  targetPrefix: 'AnyScaleFrontendService',
  operations: {
    RegisterScalableTarget: (input, ctx) => ({
      ScalableTargetARN: registerScalableTarget(ctx, input).ScalableTargetARN,
    }),

    DeregisterScalableTarget: (input, ctx) => {
      deregisterScalableTarget(
        ctx,
        input.ServiceNamespace,
        input.ResourceId,
        input.ScalableDimension,
      );
      return {};
    },

    DescribeScalableTargets: (input, ctx) => {
      checkNamespace(input.ServiceNamespace);
      const ids: string[] | undefined = input.ResourceIds?.length
        ? input.ResourceIds
        : undefined;
      const targets = Object.values(ctx.regionState.autoscaling.targets)
        .filter(t => t.ServiceNamespace === input.ServiceNamespace)
        .filter(t => !ids || ids.includes(t.ResourceId))
        .filter(
          t =>
            !input.ScalableDimension ||
            t.ScalableDimension === input.ScalableDimension,
        )
        .sort(
          (a, b) =>
            a.CreationTime - b.CreationTime ||
            (a.ResourceId < b.ResourceId ? -1 : 1),
        );
      const { page, nextToken } = paginate(targets, {
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
        defaultSize: 50,
        maxSize: 50,
        limitName: 'maxResults',
        tokenError: 'InvalidNextTokenException',
        fingerprint: JSON.stringify([
          input.ServiceNamespace,
          ids ?? [],
          input.ScalableDimension ?? '',
        ]),
      });
      return {
        ScalableTargets: page.map(t => ({
          ...t,
          CreationTime: date(t.CreationTime),
        })),
        NextToken: nextToken,
      };
    },

    PutScalingPolicy: (input, ctx) => {
      const p = putScalingPolicy(ctx, input);
      return { PolicyARN: p.PolicyARN, Alarms: p.Alarms };
    },

    DeleteScalingPolicy: (input, ctx) => {
      deleteScalingPolicy(ctx, input);
      return {};
    },

    DescribeScalingPolicies: (input, ctx) => {
      checkNamespace(input.ServiceNamespace);
      const names: string[] | undefined = input.PolicyNames?.length
        ? input.PolicyNames
        : undefined;
      const policies = Object.values(ctx.regionState.autoscaling.policies)
        .filter(p => p.ServiceNamespace === input.ServiceNamespace)
        .filter(p => !input.ResourceId || p.ResourceId === input.ResourceId)
        .filter(
          p =>
            !input.ScalableDimension ||
            p.ScalableDimension === input.ScalableDimension,
        )
        .filter(p => !names || names.includes(p.PolicyName))
        .sort(
          (a, b) =>
            a.CreationTime - b.CreationTime ||
            (a.PolicyName < b.PolicyName ? -1 : 1),
        );
      const { page, nextToken } = paginate(policies, {
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
        defaultSize: 50,
        maxSize: 50,
        tokenError: 'InvalidNextTokenException',
        fingerprint: JSON.stringify([
          input.ServiceNamespace,
          input.ResourceId ?? '',
          input.ScalableDimension ?? '',
          names ?? [],
        ]),
      });
      return {
        ScalingPolicies: page.map(p => ({
          ...p,
          CreationTime: date(p.CreationTime),
        })),
        NextToken: nextToken,
      };
    },
  },
};
