/*
 * ECS resources as live clusters, task definitions and services the ECS API
 * returns and the ECS simulator runs. A service is complete once it has
 * stabilised (ecsServiceStabilisation.ts).
 */
import { AwsError } from '../protocol/errors';
import { createCluster, deleteCluster } from '../services/ecsClusters';
import {
  createService,
  deleteService,
  updateService,
} from '../services/ecsServices';
import {
  deregisterTaskDefinition,
  registerTaskDefinition,
} from '../services/ecsTaskDefinitions';
import { findService, getCluster, lastSegment } from '../services/ecsLookup';
import { generatedName } from './provider';
import type { Provider } from './provider';
import { camelize, cfnBool, optionalNumber } from './resourceHelpers';
import { ecsServiceStabilisation } from './ecsServiceStabilisation';

const ecsRef = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

export const ecsProviders: Record<string, Provider> = {
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
};
