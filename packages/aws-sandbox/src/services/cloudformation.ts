/*
 * CloudFormation API (awsQuery, 2010-05-15). Validation happens here,
 * synchronously, as in AWS; the engine applies templates in the background.
 *
 * This file holds the service. The handlers are per family: stacks
 * (cloudformationStacks.ts), their events and resources
 * (cloudformationStackResources.ts), templates (cloudformationTemplates.ts),
 * change sets (cloudformationChangeSets.ts) and drift
 * (cloudformationDrift.ts). What they share: reading requests and paging
 * (cloudformationRequests.ts), finding and adding stacks
 * (cloudformationStackRecords.ts), and turning a request into a Deployment
 * (cloudformationDeployments.ts).
 */
import type { ServiceDefinition } from './types';
import { stackOperations } from './cloudformationStacks';
import { stackResourceOperations } from './cloudformationStackResources';
import { templateOperations } from './cloudformationTemplates';
import { changeSetOperations } from './cloudformationChangeSets';
import { driftOperations } from './cloudformationDrift';

export const cloudformation: ServiceDefinition = {
  name: 'cloudformation',
  signingName: 'cloudformation',
  protocol: 'query',
  version: '2010-05-15',
  xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  operations: {
    ...stackOperations,
    ...stackResourceOperations,
    ...templateOperations,
    ...changeSetOperations,
    ...driftOperations,
  },
};
