import {
  EcsServiceSummary,
  EcsTaskSummary,
  Finding,
  MetricSeries,
  ParameterMetadata,
} from '../types';

/** What the health rules look at: the data of one environment. */
export interface HealthInput {
  service?: EcsServiceSummary;
  tasks: EcsTaskSummary[];
  /**
   * Undefined when parameters could not be read (no permission, SSM error):
   * rules about parameters then stay silent instead of guessing.
   */
  parameters?: ParameterMetadata[];
  metrics?: MetricSeries[];
  /** The parameter the application needs, from `environmentResourceNames`. */
  appSecretParameterName?: string;
}

/** Thresholds and windows of the rules; `now` keeps them pure and testable. */
export interface HealthOptions {
  now: Date;
  /** Stopped tasks count towards a crash loop when they stopped this recently. */
  crashLoopWindowMinutes: number;
  /** How many crashed tasks in the window make a crash loop. */
  crashLoopThreshold: number;
  /** Deployment events (rollbacks) older than this are history, not findings. */
  deploymentEventWindowMinutes: number;
  /** How long CPU, memory or scaling must stay at their limit to count. */
  sustainedMinutes: number;
  cpuThresholdPercent: number;
  memoryThresholdPercent: number;
}

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
