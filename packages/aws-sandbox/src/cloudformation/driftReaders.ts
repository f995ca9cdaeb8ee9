/*
 * The live side of drift detection: for each resource type whose objects the
 * sandbox's services keep, how CloudFormation would read the object back
 * (which service call, so faults on it make the check fail) and its
 * properties in the template's shape. A property a reader returns as
 * undefined is missing from the live object; one it leaves out is not kept
 * by the simulated service, and reads back as the template has it (Tags on
 * most types, load balancer wiring, ...). Types without a reader are not
 * checked, as CloudFormation does not check types without drift support.
 */
import type { ModelContext } from '../services/types';
import type { StackResource } from '../stateCloudFormation';
import type { Ec2SecurityGroupRule } from '../stateEc2';
import { findService, lastSegment } from '../services/ecsLookup';
import { targetKey } from '../services/autoscaling';
import { ec2State } from '../services/ec2Network';
import { ruleOf } from './ec2SecurityGroupResources';

type Props = Record<string, unknown>;

export interface DriftReader {
  /** The service and operation CloudFormation reads the object with. */
  service: string;
  operation: string;
  /** Live properties, or undefined when the object is gone. */
  read(r: StackResource, ctx: ModelContext): Props | undefined;
  /** The template's values as the service stores them, where it rewrites them. */
  expected?(props: Props): Props;
}

/** The ECS API's camelCase back to CloudFormation's PascalCase. */
function pascalize(value: any): any {
  if (Array.isArray(value)) return value.map(pascalize);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.charAt(0).toUpperCase() + k.slice(1)] = pascalize(v);
  }
  return out;
}

/** A reference by name, family or ARN reads back as the template wrote it. */
function sameRef(expected: unknown, actualArn: string): unknown {
  if (typeof expected !== 'string' || expected === actualArn) return actualArn;
  const tail = lastSegment(actualArn);
  return expected === tail || expected === tail.split(':')[0]
    ? expected
    : actualArn;
}

const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A rule as AWS::EC2::SecurityGroup's SecurityGroupIngress/Egress lists it. */
function cfnRule(r: Ec2SecurityGroupRule): Props {
  const out: Props = {
    IpProtocol: r.IpProtocol,
    FromPort: r.FromPort,
    ToPort: r.ToPort,
    CidrIp: r.CidrIp,
    CidrIpv6: r.CidrIpv6,
    Description: r.Description,
  };
  if (r.egress) {
    out.DestinationSecurityGroupId = r.GroupId;
    out.DestinationPrefixListId = r.PrefixListId;
  } else {
    out.SourceSecurityGroupId = r.GroupId;
    out.SourcePrefixListId = r.PrefixListId;
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Rules that AWS::EC2::SecurityGroupIngress/Egress resources add belong to
 * those resources, so the group's own lists leave them out; rules added
 * through the EC2 API do not, and show as drift.
 */
function ruleResourceIds(ctx: ModelContext): Set<string> {
  const ids = new Set<string>();
  for (const s of ctx.regionState.cloudformation.stacks) {
    for (const r of Object.values(s.resources)) {
      if (r.ResourceType.startsWith('AWS::EC2::SecurityGroup')) {
        ids.add(r.PhysicalResourceId);
      }
    }
  }
  return ids;
}

export const driftReaders: Record<string, DriftReader> = {
  'AWS::ECS::Cluster': {
    service: 'ecs',
    operation: 'DescribeClusters',
    read: (r, ctx) => {
      const c = ctx.regionState.ecs.clusters[r.PhysicalResourceId];
      if (!c || c.status !== 'ACTIVE') return undefined;
      return {
        ClusterName: c.clusterName,
        ClusterSettings: pascalize(c.settings),
        CapacityProviders: c.capacityProviders,
      };
    },
  },

  'AWS::ECS::Service': {
    service: 'ecs',
    operation: 'DescribeServices',
    read: (r, ctx) => {
      const p = r.properties;
      const cluster =
        ctx.regionState.ecs.clusters[
          lastSegment(typeof p.Cluster === 'string' ? p.Cluster : 'default')
        ];
      const svc = cluster && findService(ctx, cluster, r.PhysicalResourceId);
      if (!svc || svc.status !== 'ACTIVE') return undefined;
      return {
        Cluster: sameRef(p.Cluster, svc.clusterArn),
        ServiceName: svc.serviceName,
        TaskDefinition: sameRef(p.TaskDefinition, svc.taskDefinition),
        DesiredCount: svc.desiredCount,
        LaunchType: svc.launchType,
        PlatformVersion: svc.platformVersion,
        DeploymentConfiguration: pascalize(svc.deploymentConfiguration),
        NetworkConfiguration: pascalize(svc.networkConfiguration),
        HealthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
        EnableECSManagedTags: svc.enableECSManagedTags,
        EnableExecuteCommand: svc.enableExecuteCommand,
        PropagateTags: svc.propagateTags,
        SchedulingStrategy: svc.schedulingStrategy,
      };
    },
  },

  'AWS::SSM::Parameter': {
    service: 'ssm',
    operation: 'GetParameter',
    read: (r, ctx) => {
      const p = ctx.regionState.ssm.parameters[r.PhysicalResourceId];
      if (!p) return undefined;
      return {
        Name: p.Name,
        Type: p.Type,
        Value: p.Value,
        Description: p.Description,
        AllowedPattern: p.AllowedPattern,
        Tier: p.Tier,
        DataType: p.DataType,
      };
    },
  },

  'AWS::Logs::LogGroup': {
    service: 'logs',
    operation: 'DescribeLogGroups',
    read: (r, ctx) => {
      const g = ctx.regionState.logs.groups[r.PhysicalResourceId];
      if (!g) return undefined;
      return {
        LogGroupName: g.logGroupName,
        RetentionInDays: g.retentionInDays,
        KmsKeyId: g.kmsKeyId,
        LogGroupClass: g.logGroupClass,
        Tags: tagList(g.tags),
      };
    },
  },

  'AWS::ApplicationAutoScaling::ScalableTarget': {
    service: 'application-autoscaling',
    operation: 'DescribeScalableTargets',
    read: (r, ctx) => {
      const [id, dim, ns] = r.PhysicalResourceId.split('|');
      const t = ctx.regionState.autoscaling.targets[targetKey(ns, id, dim)];
      if (!t) return undefined;
      return {
        ServiceNamespace: t.ServiceNamespace,
        ResourceId: t.ResourceId,
        ScalableDimension: t.ScalableDimension,
        MinCapacity: t.MinCapacity,
        MaxCapacity: t.MaxCapacity,
        RoleARN: t.RoleARN,
        SuspendedState: t.SuspendedState,
      };
    },
  },

  'AWS::EC2::SecurityGroup': {
    service: 'ec2',
    operation: 'DescribeSecurityGroups',
    read: (r, ctx) => {
      const g = ec2State(ctx).securityGroups[r.PhysicalResourceId];
      if (!g) return undefined;
      const managed = ruleResourceIds(ctx);
      const own = g.rules.filter(rule => !managed.has(rule.source));
      return {
        GroupName: g.GroupName,
        GroupDescription: g.Description,
        VpcId: g.VpcId,
        SecurityGroupIngress: own.filter(x => !x.egress).map(cfnRule),
        SecurityGroupEgress: own.filter(x => x.egress).map(cfnRule),
      };
    },
    expected: props => {
      const out = { ...props };
      // EC2 stores protocol numbers as names and drops ports for all traffic.
      for (const [key, egress] of [
        ['SecurityGroupIngress', false],
        ['SecurityGroupEgress', true],
      ] as const) {
        if (Array.isArray(props[key])) {
          out[key] = (props[key] as unknown[]).map(rule =>
            cfnRule(ruleOf(rule, egress, 'inline')),
          );
        }
      }
      return out;
    },
  },
};
