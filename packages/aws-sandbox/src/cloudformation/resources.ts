/*
 * Resource providers: how each CloudFormation resource type is created,
 * updated in place and deleted. Types that map onto a simulated service
 * (ECS, SSM, Logs, Application Auto Scaling) create live objects those APIs
 * return; the rest (VPC, IAM, ELB, ...) get believable physical ids and the
 * attributes Fn::GetAtt needs.
 */
import { AwsError } from '../protocol/errors';
import {
  createCluster,
  createService,
  deleteCluster,
  deleteService,
  deregisterTaskDefinition,
  findService,
  getCluster,
  lastSegment,
  registerTaskDefinition,
  updateService,
} from '../services/ecs';
import { deleteParameter, putParameter } from '../services/ssm';
import { createLogGroup, logGroupArn } from '../services/logs';
import {
  deleteScalingPolicy,
  deregisterScalableTarget,
  putScalingPolicy,
  registerScalableTarget,
} from '../services/autoscaling';
import {
  generatedName,
  hexId,
  Provider,
  ResourceContext,
  ResourceResult,
} from './provider';
import { ec2Providers } from './ec2Resources';
import { ecsServiceStabilisation } from './ecsServiceStabilisation';

export type { Provider, ResourceContext, ResourceResult } from './provider';

/** CFN property names are PascalCase; the ECS API is camelCase. */
export function camelize(value: any, key?: string): any {
  if (Array.isArray(value)) return value.map(v => camelize(v));
  if (!value || typeof value !== 'object') return value;
  if (key === 'Options' || key === 'DockerLabels' || key === 'SystemControls') {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.charAt(0).toLowerCase() + k.slice(1)] = camelize(v, k);
  }
  return out;
}

/** A resource that exists only as ids and attributes. */
function simple(
  make: (props: any, ctx: ResourceContext) => ResourceResult,
  replaceOn: string[] | 'all' = [],
): Provider {
  return {
    create: make,
    update: (physicalId, props, previous, ctx) => {
      const fresh = make(props, ctx);
      // Keep the identity; refresh attributes that derive from properties.
      const attributes = { ...fresh.attributes };
      for (const [k, v] of Object.entries(previous.attributes)) {
        if (
          typeof v === 'string' &&
          /^(?:[a-z]+-0[0-9a-f]{16}|arn:.*)$/.test(v)
        )
          attributes[k] = v;
      }
      return { physicalId, attributes };
    },
    delete: () => {},
    replaceOn,
  };
}

/** A resource known by a generated id, which is also its `attribute`. */
function idResource(
  prefix: string,
  attribute: string,
  replaceOn?: string[] | 'all',
): Provider {
  return simple((_p, ctx) => {
    const id = hexId(ctx, prefix);
    return { physicalId: id, attributes: { [attribute]: id } };
  }, replaceOn);
}

const ecsRef = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

export const providers: Record<string, Provider> = {
  'AWS::CDK::Metadata': simple((_p, ctx) => ({
    physicalId: ctx.sandbox.random.uuid(),
    attributes: {},
  })),

  'AWS::CloudFormation::WaitConditionHandle': simple((_p, ctx) => ({
    physicalId: `https://cloudformation-waitcondition-${
      ctx.region
    }.s3.amazonaws.com/${encodeURIComponent(ctx.stackId)}/${ctx.logicalId}`,
    attributes: {},
  })),

  // ---- EC2 / VPC ----------------------------------------------------------
  // VPCs, subnets, route tables, security groups, NAT gateways and EIPs are
  // live records the EC2 API describes (ec2Resources.ts).
  ...ec2Providers,
  'AWS::EC2::InternetGateway': idResource('igw', 'InternetGatewayId'),
  'AWS::EC2::VPCGatewayAttachment': simple(
    (p, ctx) => ({
      physicalId: `IGW|${p.VpcId ?? ctx.sandbox.random.hex(8)}`,
      attributes: {},
    }),
    ['VpcId', 'InternetGatewayId', 'VpnGatewayId'],
  ),
  'AWS::EC2::VPCEndpoint': simple(
    (_p, ctx) => {
      const id = hexId(ctx, 'vpce');
      return {
        physicalId: id,
        attributes: {
          Id: id,
          DnsEntries: [],
          NetworkInterfaceIds: [],
          CreationTimestamp: new Date(ctx.now).toISOString(),
        },
      };
    },
    ['VpcId', 'ServiceName', 'VpcEndpointType'],
  ),
  'AWS::EC2::FlowLog': idResource('fl', 'Id', 'all'),

  // ---- IAM ----------------------------------------------------------------
  'AWS::IAM::Role': simple(
    (p, ctx) => {
      const name = p.RoleName ?? generatedName(ctx, 64);
      const path = p.Path ?? '/';
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:iam::${ctx.caller.account}:role${path}${name}`,
          RoleId: `AROA${ctx.sandbox.random.alnum(17)}`,
        },
      };
    },
    ['RoleName', 'Path'],
  ),
  'AWS::IAM::Policy': simple((p, ctx) => ({
    physicalId: p.PolicyName
      ? `${ctx.stackName.slice(0, 5)}-${String(p.PolicyName).slice(
          0,
          4,
        )}-${ctx.sandbox.random.alnum(12)}`
      : generatedName(ctx, 64),
    attributes: { Id: ctx.sandbox.random.alnum(12) },
  })),
  'AWS::IAM::ManagedPolicy': simple(
    (p, ctx) => {
      const name = p.ManagedPolicyName ?? generatedName(ctx, 128);
      const arn = `arn:aws:iam::${ctx.caller.account}:policy${
        p.Path ?? '/'
      }${name}`;
      return {
        physicalId: arn,
        attributes: {
          PolicyArn: arn,
          PolicyId: `ANPA${ctx.sandbox.random.alnum(17)}`,
          AttachmentCount: 0,
          CreateDate: new Date(ctx.now).toISOString(),
          DefaultVersionId: 'v1',
          IsAttachable: true,
          PermissionsBoundaryUsageCount: 0,
          UpdateDate: new Date(ctx.now).toISOString(),
        },
      };
    },
    ['ManagedPolicyName', 'Path'],
  ),
  'AWS::IAM::InstanceProfile': simple(
    (p, ctx) => {
      const name = p.InstanceProfileName ?? generatedName(ctx, 128);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:iam::${ctx.caller.account}:instance-profile${
            p.Path ?? '/'
          }${name}`,
        },
      };
    },
    ['InstanceProfileName', 'Path'],
  ),

  // ---- Elastic Load Balancing v2 -----------------------------------------
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

  // ---- Logs ---------------------------------------------------------------
  'AWS::Logs::LogGroup': {
    create: (p, ctx) => {
      const name = p.LogGroupName ?? generatedName(ctx, 512);
      try {
        createLogGroup(ctx.regionState, name, ctx.now, {
          retentionInDays: optionalNumber(p.RetentionInDays),
          kmsKeyId: p.KmsKeyId,
          logGroupClass: p.LogGroupClass,
          tags: Object.fromEntries(
            (p.Tags ?? []).map((t: any) => [t.Key, t.Value]),
          ),
        });
      } catch (e) {
        if (
          e instanceof AwsError &&
          e.code === 'ResourceAlreadyExistsException'
        ) {
          throw new AwsError(
            e.code,
            `Resource of type 'AWS::Logs::LogGroup' with identifier '${name}' already exists.`,
          );
        }
        throw e;
      }
      return {
        physicalId: name,
        attributes: {
          Arn: `${logGroupArn(ctx.region, ctx.caller.account, name)}:*`,
        },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const g = ctx.regionState.logs.groups[physicalId];
      if (g) g.retentionInDays = optionalNumber(p.RetentionInDays);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      delete ctx.regionState.logs.groups[physicalId];
    },
    replaceOn: ['LogGroupName', 'LogGroupClass'],
  },

  // ---- SSM ----------------------------------------------------------------
  'AWS::SSM::Parameter': {
    create: (p, ctx) => {
      if (p.Type === 'SecureString') {
        throw new AwsError(
          'ValidationException',
          'SecureString is not supported for AWS::SSM::Parameter. Use the SSM API to create SecureString parameters.',
        );
      }
      const name =
        p.Name ?? `CFN-${ctx.logicalId}-${ctx.sandbox.random.alnum(12)}`;
      if (ctx.regionState.ssm.parameters[name]) {
        throw new AwsError(
          'AlreadyExists',
          `${name} already exists in stack ${ctx.stackId}`,
        );
      }
      putParameter(ctx, {
        ...parameterInput(name, p),
        Tags: Object.entries(p.Tags ?? {}).map(([Key, Value]) => ({
          Key,
          Value: String(Value),
        })),
      });
      return {
        physicalId: name,
        attributes: parameterAttributes(p),
      };
    },
    update: (physicalId, p, _prev, ctx) => {
      putParameter(ctx, { ...parameterInput(physicalId, p), Overwrite: true });
      return {
        physicalId,
        attributes: parameterAttributes(p),
      };
    },
    delete: (physicalId, _p, _a, ctx) => {
      if (ctx.regionState.ssm.parameters[physicalId])
        deleteParameter(ctx, physicalId);
    },
    replaceOn: ['Name'],
  },

  // ---- ECS ----------------------------------------------------------------
  'AWS::ECS::Cluster': {
    create: (p, ctx) => {
      const name = p.ClusterName ?? generatedName(ctx, 255);
      if (ctx.regionState.ecs.clusters[name]?.status === 'ACTIVE') {
        throw new AwsError(
          'AlreadyExists',
          `Resource of type 'AWS::ECS::Cluster' with identifier '${name}' already exists.`,
        );
      }
      const c = createCluster(ctx, {
        clusterName: name,
        settings: camelize(p.ClusterSettings),
        tags: camelize(p.Tags),
        capacityProviders: p.CapacityProviders,
      });
      return { physicalId: name, attributes: { Arn: c.clusterArn } };
    },
    update: (physicalId, p, previous, ctx) => {
      const c = getCluster(ctx, physicalId);
      if (p.ClusterSettings) c.settings = camelize(p.ClusterSettings);
      c.tags = camelize(p.Tags ?? []);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      if (ctx.regionState.ecs.clusters[physicalId]?.status === 'ACTIVE')
        deleteCluster(ctx, physicalId);
    },
    replaceOn: ['ClusterName'],
  },

  'AWS::ECS::TaskDefinition': {
    create: (p, ctx) => {
      const family =
        p.Family ??
        `${ctx.stackName}${ctx.logicalId}`
          .replace(/[^a-zA-Z0-9_-]/g, '')
          .slice(0, 255);
      const td = registerTaskDefinition(ctx, {
        family,
        containerDefinitions: camelize(p.ContainerDefinitions ?? []),
        cpu: p.Cpu,
        memory: p.Memory,
        networkMode: p.NetworkMode,
        requiresCompatibilities: p.RequiresCompatibilities,
        executionRoleArn: p.ExecutionRoleArn,
        taskRoleArn: p.TaskRoleArn,
        volumes: camelize(p.Volumes),
        placementConstraints: camelize(p.PlacementConstraints),
        runtimePlatform: camelize(p.RuntimePlatform),
        tags: camelize(p.Tags),
      });
      return {
        physicalId: td.taskDefinitionArn,
        attributes: { TaskDefinitionArn: td.taskDefinitionArn },
      };
    },
    delete: (physicalId, _p, _a, ctx) => {
      try {
        deregisterTaskDefinition(ctx, physicalId);
      } catch {
        // already gone
      }
    },
    replaceOn: 'all',
  },

  'AWS::ECS::Service': {
    create: (p, ctx) => {
      const cluster = ecsRef(p.Cluster) ?? 'default';
      const name = p.ServiceName ?? generatedName(ctx, 255);
      const svc = createService(ctx, {
        cluster,
        serviceName: name,
        taskDefinition: p.TaskDefinition,
        desiredCount: p.DesiredCount !== undefined ? Number(p.DesiredCount) : 1,
        launchType: p.LaunchType,
        platformVersion: p.PlatformVersion,
        networkConfiguration: camelize(p.NetworkConfiguration),
        deploymentConfiguration: camelize(p.DeploymentConfiguration),
        deploymentController: camelize(p.DeploymentController),
        loadBalancers: camelize(p.LoadBalancers),
        serviceRegistries: camelize(p.ServiceRegistries),
        healthCheckGracePeriodSeconds: optionalNumber(
          p.HealthCheckGracePeriodSeconds,
        ),
        enableECSManagedTags: cfnBool(p.EnableECSManagedTags),
        enableExecuteCommand: cfnBool(p.EnableExecuteCommand),
        propagateTags: p.PropagateTags,
        schedulingStrategy: p.SchedulingStrategy,
        capacityProviderStrategy: camelize(p.CapacityProviderStrategy),
        tags: camelize(p.Tags),
      });
      return {
        physicalId: svc.serviceArn,
        attributes: { Name: svc.serviceName, ServiceArn: svc.serviceArn },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const cluster = ecsRef(p.Cluster) ?? 'default';
      updateService(ctx, {
        cluster,
        service: lastSegment(physicalId),
        desiredCount: optionalNumber(p.DesiredCount),
        taskDefinition: p.TaskDefinition,
        deploymentConfiguration: camelize(p.DeploymentConfiguration),
        networkConfiguration:
          JSON.stringify(p.NetworkConfiguration) !==
          JSON.stringify(previous.props.NetworkConfiguration)
            ? camelize(p.NetworkConfiguration)
            : undefined,
        healthCheckGracePeriodSeconds: optionalNumber(
          p.HealthCheckGracePeriodSeconds,
        ),
      });
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, p, _a, ctx) => {
      const cluster =
        ctx.regionState.ecs.clusters[
          lastSegment(ecsRef(p.Cluster) ?? 'default')
        ];
      if (!cluster) return;
      const svc = findService(ctx, cluster, physicalId);
      if (svc && svc.status === 'ACTIVE') {
        deleteService(ctx, {
          cluster: cluster.clusterName,
          service: svc.serviceName,
          force: true,
        });
        ctx.sandbox.ecs.finishDrain(svc, ctx.now);
      }
    },
    replaceOn: [
      'ServiceName',
      'Cluster',
      'LaunchType',
      'SchedulingStrategy',
      'Role',
      'LoadBalancers',
      'DeploymentController',
    ],
    // Complete once the deployment has rolled out, or failed by the circuit
    // breaker (ecsServiceStabilisation.ts).
    stabilise: ecsServiceStabilisation,
  },

  // ---- Application Auto Scaling -------------------------------------------
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

  // ---- A few more common types -------------------------------------------
  'AWS::S3::Bucket': simple(
    (p, ctx) => {
      const name = p.BucketName ?? generatedName(ctx, 63, true);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
          WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
        },
      };
    },
    ['BucketName'],
  ),
  'AWS::SNS::Topic': simple(
    (p, ctx) => {
      const name = p.TopicName ?? generatedName(ctx, 256);
      const arn = `arn:aws:sns:${ctx.region}:${ctx.caller.account}:${name}`;
      return {
        physicalId: arn,
        attributes: { TopicArn: arn, TopicName: name },
      };
    },
    ['TopicName', 'FifoTopic'],
  ),
  'AWS::SQS::Queue': simple(
    (p, ctx) => {
      const name = p.QueueName ?? generatedName(ctx, 80);
      return {
        physicalId: `https://sqs.${ctx.region}.amazonaws.com/${ctx.caller.account}/${name}`,
        attributes: {
          Arn: `arn:aws:sqs:${ctx.region}:${ctx.caller.account}:${name}`,
          QueueName: name,
          QueueUrl: `https://sqs.${ctx.region}.amazonaws.com/${ctx.caller.account}/${name}`,
        },
      };
    },
    ['QueueName', 'FifoQueue'],
  ),
  'AWS::CloudWatch::Alarm': simple(
    (p, ctx) => {
      const name = p.AlarmName ?? generatedName(ctx, 255);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.caller.account}:alarm:${name}`,
        },
      };
    },
    ['AlarmName'],
  ),
  'AWS::KMS::Key': simple((_p, ctx) => {
    const id = ctx.sandbox.random.uuid();
    return {
      physicalId: id,
      attributes: {
        Arn: `arn:aws:kms:${ctx.region}:${ctx.caller.account}:key/${id}`,
        KeyId: id,
      },
    };
  }),
  'AWS::ServiceDiscovery::PrivateDnsNamespace': simple(
    (_p, ctx) => {
      const id = `ns-${ctx.sandbox.random.alnum(16).toLowerCase()}`;
      return {
        physicalId: id,
        attributes: {
          Id: id,
          Arn: `arn:aws:servicediscovery:${ctx.region}:${ctx.caller.account}:namespace/${id}`,
          HostedZoneId: `Z${ctx.sandbox.random.alnum(20)}`,
        },
      };
    },
    ['Name', 'Vpc'],
  ),
};

/** A number property that may be absent (CFN may pass it as a string). */
function optionalNumber(value: unknown): number | undefined {
  return value !== undefined ? Number(value) : undefined;
}

/** A boolean property (CFN may pass it as a string). */
function cfnBool(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The PutParameter request of an AWS::SSM::Parameter's properties. */
function parameterInput(name: string, p: any) {
  return {
    Name: name,
    Value: String(p.Value ?? ''),
    Type: p.Type ?? 'String',
    Description: p.Description,
    AllowedPattern: p.AllowedPattern,
    Tier: p.Tier,
    DataType: p.DataType,
  };
}

/** The attributes of an AWS::SSM::Parameter. */
function parameterAttributes(p: any) {
  return { Type: p.Type ?? 'String', Value: String(p.Value ?? '') };
}

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

export const supportedTypes = () => Object.keys(providers).sort();
