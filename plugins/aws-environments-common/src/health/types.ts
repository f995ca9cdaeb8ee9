import {
  EcsServiceSummary,
  EcsTaskSummary,
  Finding,
  MetricSeries,
  ParameterMetadata,
} from '../types';

/**
 * What the health rules look at: the data of one environment.
 *
 * @public
 */
export interface HealthInput {
  /** The ECS service; absent when it could not be read. */
  service?: EcsServiceSummary;
  /** Running and recently stopped tasks. */
  tasks: EcsTaskSummary[];
  /**
   * Undefined when parameters could not be read (no permission, SSM error):
   * rules about parameters then stay silent instead of guessing.
   */
  parameters?: ParameterMetadata[];
  /** CloudWatch series, identified by the ids of {@link METRIC_IDS}. */
  metrics?: MetricSeries[];
  /** The parameter the application needs, from `environmentResourceNames`. */
  appSecretParameterName?: string;
}

/**
 * Thresholds and windows of the rules; `now` keeps them pure and testable.
 *
 * @public
 */
export interface HealthOptions {
  /** The time the windows end at. */
  now: Date;
  /** Stopped tasks count towards a crash loop when they stopped this recently. */
  crashLoopWindowMinutes: number;
  /** How many crashed tasks in the window make a crash loop. */
  crashLoopThreshold: number;
  /** Deployment events (rollbacks) older than this are history, not findings. */
  deploymentEventWindowMinutes: number;
  /** How long CPU, memory or scaling must stay at their limit to count. */
  sustainedMinutes: number;
  /** Average CPU percentage that, held for `sustainedMinutes`, is a warning. */
  cpuThresholdPercent: number;
  /** Average memory percentage that, held for `sustainedMinutes`, is a warning. */
  memoryThresholdPercent: number;
}

/** The thresholds and windows `detectFindings` uses unless told otherwise. */
export const DEFAULT_HEALTH_OPTIONS: Omit<HealthOptions, 'now'> = {
  crashLoopWindowMinutes: 30,
  crashLoopThreshold: 3,
  deploymentEventWindowMinutes: 60,
  sustainedMinutes: 10,
  cpuThresholdPercent: 70,
  memoryThresholdPercent: 80,
};

/** One health rule: pure, no I/O. */
export type HealthRule = (
  input: HealthInput,
  options: HealthOptions,
) => Finding[];
