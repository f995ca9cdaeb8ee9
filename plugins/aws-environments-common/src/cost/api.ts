/**
 * The cost estimate's HTTP API: what the wizard sends, and what the backend
 * answers for a planned run or for an entity's provisioned environments.
 */
import {
  CostAssumptions,
  CostRange,
  EnvironmentCostEstimate,
} from './estimateEnvironmentCost';

/**
 * The task size the environment stacks provision (0.25 vCPU, 512 MiB): the
 * wizard has no size input, so estimates use this unless told otherwise.
 *
 * @public
 */
export const SEED_TASK_SIZE = { taskCpu: 256, taskMemory: 512 } as const;

/**
 * A planned run, in the provision action's input names: what the wizard
 * knows. Regions and accounts are not part of it; the backend takes them
 * from the `awsEnvironments.environments` config.
 *
 * @public
 */
export interface CostEstimateRequest {
  /** Configured environment names. */
  environments: string[];
  /** Task CPU in ECS units; defaults to {@link SEED_TASK_SIZE}. */
  taskCpu?: number;
  /** Task memory in MiB; defaults to {@link SEED_TASK_SIZE}. */
  taskMemory?: number;
  /** Tasks to start with; defaults to `minCapacity`, as in the action. */
  desiredCount?: number;
  /** Autoscaling minimum; defaults to 1, as in the action. */
  minCapacity?: number;
  /** Autoscaling maximum; defaults to 10, as in the action. */
  maxCapacity?: number;
  /** Whether the Application Load Balancer is added; defaults to false. */
  loadBalancer?: boolean;
}

/**
 * What one environment was estimated for.
 *
 * @public
 */
export interface EnvironmentCostSettings {
  /** Task CPU in ECS units (256 = 0.25 vCPU). */
  taskCpu: number;
  /** Task memory in MiB. */
  taskMemory: number;
  /** Tasks at start: the stack's `DesiredCount`. */
  desiredCount: number;
  /** Autoscaling minimum: the low end of the estimate. */
  minCapacity: number;
  /** Autoscaling maximum: the high end of the estimate. */
  maxCapacity: number;
  /** Whether the environment has the Application Load Balancer. */
  loadBalancer: boolean;
}

/**
 * The estimate of one environment, or why there is none.
 *
 * @public
 */
export interface EnvironmentCostResult {
  /** The environment's name. */
  environment: string;
  /** Its title from config, when it has one. */
  title?: string;
  /** The region from config: the prices are this region's. */
  region: string;
  /** What was estimated; absent when the settings could not be read. */
  settings?: EnvironmentCostSettings;
  /** The estimate; absent when `error` says why. */
  estimate?: EnvironmentCostEstimate;
  /** USD per month with `desiredCount` tasks all month. */
  monthlyAtDesired?: number;
  /** Why there is no estimate, e.g. no prices for the region. */
  error?: string;
}

/**
 * Estimates of several environments and their sum.
 *
 * @public
 */
export interface CostEstimateResponse {
  /** Always `USD`. */
  currency: 'USD';
  /** One entry per environment, in the order asked (or configured). */
  environments: EnvironmentCostResult[];
  /** The sum over the environments that have an estimate. */
  total: {
    monthly: CostRange;
    monthlyAtDesired: number;
    /** False when an environment has no estimate and is left out. */
    complete: boolean;
  };
  /**
   * The oldest publication date of the prices used (ISO 8601); absent when
   * no environment has an estimate.
   */
  priceDate?: string;
  /** The usage assumed where the configuration does not say. */
  assumptions: CostAssumptions;
  /** What the figures are and are not. */
  disclaimer: string;
}

/**
 * What an entity's provisioned environments cost as configured now.
 *
 * @public
 */
export interface EntityCostResponse extends CostEstimateResponse {
  /** The entity, e.g. `component:default/shop`. */
  entityRef: string;
}
