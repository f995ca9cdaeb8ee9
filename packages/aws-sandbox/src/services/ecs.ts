/*
 * ECS control plane (awsJson1_1, AmazonEC2ContainerServiceV20141113.*).
 * Clusters, task definitions and services are plain records in the state; the
 * simulator (simulation/ecsSimulator.ts) moves tasks and deployments along on
 * the clock. The model functions are shared with CloudFormation.
 *
 * This file holds the service and its table of handlers. The handlers are per
 * resource family (ecsClusters.ts, ecsTaskDefinitions.ts, ecsServices.ts,
 * ecsTasks.ts, with deployments in ecsDeployments.ts); the lookups, errors
 * and paging they share are in ecsLookup.ts, ecsErrors.ts and ecsLists.ts.
 */
import type { ServiceDefinition } from './types';
import { ownRef } from './ecsLookup';
import { invalidParam } from './ecsErrors';
import { clusterOperations } from './ecsClusters';
import { taskDefinitionOperations } from './ecsTaskDefinitions';
import { serviceOperations } from './ecsServices';
import { taskOperations } from './ecsTasks';

export const ecs: ServiceDefinition = {
  name: 'ecs',
  signingName: 'ecs',
  protocol: 'json1.1',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  operations: {
    ...clusterOperations,
    ...taskDefinitionOperations,
    ...serviceOperations,
    ...taskOperations,

    ListTagsForResource: (input, ctx) => {
      const arn = ownRef(ctx, String(input.resourceArn ?? ''));
      const r = ctx.regionState.ecs;
      const found =
        Object.values(r.clusters).find(c => c.clusterArn === arn) ??
        Object.values(r.services).find(s => s.serviceArn === arn) ??
        Object.values(r.taskDefinitions)
          .flat()
          .find(td => td.taskDefinitionArn === arn);
      if (!found) {
        throw invalidParam('The specified resource could not be found.');
      }
      return { tags: found.tags };
    },
  },
};
