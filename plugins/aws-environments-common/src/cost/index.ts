export {
  DEFAULT_COST_ASSUMPTIONS,
  estimateEnvironmentCost,
} from './estimateEnvironmentCost';
export type {
  CostAssumptions,
  CostExclusion,
  CostLineItem,
  CostRange,
  EnvironmentCostEstimate,
  EnvironmentCostInput,
} from './estimateEnvironmentCost';
export { ENVIRONMENT_PRICE_PRODUCTS, parseEnvironmentPrices } from './prices';
export type {
  EnvironmentPriceKey,
  EnvironmentPriceProduct,
  EnvironmentPrices,
} from './prices';
export { SEED_TASK_SIZE } from './api';
export type {
  CostEstimateRequest,
  CostEstimateResponse,
  EntityCostResponse,
  EnvironmentCostResult,
  EnvironmentCostSettings,
} from './api';
