import { EnvironmentError, EnvironmentHealth, Finding } from '../types';
import { detectAppSecretMissing } from './appSecretMissing';
import { detectCrashLooping } from './crashLooping';
import { detectDeploymentFailed } from './deploymentFailed';
import {
  detectCpuAboveTarget,
  detectMemoryAboveTarget,
} from './resourcePressure';
import { detectRunningBelowDesired } from './runningBelowDesired';
import { detectScalingPinnedAtMax } from './scalingPinnedAtMax';
import {
  DEFAULT_HEALTH_OPTIONS,
  HealthInput,
  HealthOptions,
  HealthRule,
} from './types';

const RULES: HealthRule[] = [
  detectRunningBelowDesired,
  detectCrashLooping,
  detectDeploymentFailed,
  detectScalingPinnedAtMax,
  detectCpuAboveTarget,
  detectMemoryAboveTarget,
  detectAppSecretMissing,
];

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Runs every rule; findings come back most severe first.
 *
 * @public
 */
export function detectFindings(
  input: HealthInput,
  options: Partial<HealthOptions> & Pick<HealthOptions, 'now'>,
): Finding[] {
  const resolved: HealthOptions = { ...DEFAULT_HEALTH_OPTIONS, ...options };
  return RULES.flatMap(rule => rule(input, resolved)).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/**
 * Health of an environment: unknown when it could not be read at all,
 * otherwise the worst finding decides (info findings do not degrade it).
 *
 * @public
 */
export function healthFromFindings(
  findings: Finding[],
  environmentError?: EnvironmentError,
): EnvironmentHealth {
  if (environmentError) {
    return 'unknown';
  }
  if (findings.some(f => f.severity === 'error')) {
    return 'unhealthy';
  }
  if (findings.some(f => f.severity === 'warning')) {
    return 'degraded';
  }
  return 'healthy';
}
