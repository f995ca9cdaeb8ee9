/**
 * Types, annotation keys, naming, permissions and pure health rules shared by
 * the AWS environments plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export { projectOf } from './projectOf';
export * from './config';
export { environmentResourceNames, validateProjectName } from './naming';
export type { EnvironmentResourceNames } from './naming';
export * from './entities';
export * from './types';
export * from './metrics';
export * from './permissions';
export type {
  DriftDifferenceType,
  DriftPropertyDifference,
  DriftedResource,
  EntityDriftResponse,
  EnvironmentDrift,
  EnvironmentDriftStatus,
} from './drift';
export * from './promotions';
export { detectFindings, healthFromFindings, isCrashedTask } from './health';
export type { HealthInput, HealthOptions } from './health';
export { consoleHost, consoleUrl } from './consoleUrls';
export { errorMessage } from './errorMessage';
export { sleep } from './sleep';
export { summarizeStatus } from './summary';
export type {
  EnvironmentDriftSummary,
  EnvironmentSummary,
  StatusOverviewRow,
  StatusOverviewResponse,
} from './summary';
export { PromotionsClient } from './PromotionsClient';
export type {
  PromotionsClientOptions,
  PromotionsFetchInit,
} from './PromotionsClient';
export {
  DEFAULT_COST_ASSUMPTIONS,
  ENVIRONMENT_PRICE_PRODUCTS,
  estimateEnvironmentCost,
  parseEnvironmentPrices,
  SEED_TASK_SIZE,
} from './cost';
export type {
  CostAssumptions,
  CostEstimateRequest,
  CostEstimateResponse,
  CostExclusion,
  CostLineItem,
  CostRange,
  EntityCostResponse,
  EnvironmentCostEstimate,
  EnvironmentCostInput,
  EnvironmentCostResult,
  EnvironmentCostSettings,
  EnvironmentPriceKey,
  EnvironmentPriceProduct,
  EnvironmentPrices,
} from './cost';
