/**
 * Scaffolder actions that provision and destroy the AWS environments of a
 * project with AWS CDK (new backend system module for the scaffolder).
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsEnvironments as default } from './module';
export { createProvisionAction } from './actions/provision';
export type { ProvisionActionOptions } from './actions/provision';
export { createDestroyAction } from './actions/destroy';
export type { DestroyActionOptions } from './actions/destroy';
export { createPromoteAction } from './actions/promote';
export type { PromoteActionOptions } from './actions/promote';
export { createCostEstimateReader } from './provisioning/costEstimate';
export type { CostEstimateReader } from './provisioning/costEstimate';
