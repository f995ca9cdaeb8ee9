/*
 * The errors ECS's calls answer with, shared by its resource families.
 */
import { AwsError } from '../protocol/errors';

export const clusterNotFound = () =>
  new AwsError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () =>
  new AwsError('ServiceNotFoundException', 'Service not found.');
export const invalidParam = (m: string) =>
  new AwsError('InvalidParameterException', m);
export const clientError = (m: string) => new AwsError('ClientException', m);
