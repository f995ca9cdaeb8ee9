import { METRIC_IDS } from '../metrics';
import { Finding } from '../types';
import { findSeries, recentValues, sustained } from './metricWindow';
import { HealthInput, HealthOptions, HealthRule } from './types';

function detectAbove(
  input: HealthInput,
  options: HealthOptions,
  what: { id: string; seriesId: string; name: string; threshold: number },
): Finding[] {
  const values = recentValues(
    findSeries(input, what.seriesId),
    options.now,
    options.sustainedMinutes,
  );
  if (!sustained(values, v => v > what.threshold)) {
    return [];
  }
  const peak = Math.max(...values);
  return [
    {
      id: what.id,
      severity: 'warning',
      title: `${what.name} above ${what.threshold}%`,
      message: `Average ${what.name.toLowerCase()} utilisation stayed above ${
        what.threshold
      }% for the last ${options.sustainedMinutes} minutes (peak ${peak.toFixed(
        1,
      )}%).`,
      source: 'cloudwatch',
    },
  ];
}

/** CPU stayed above its target (70% by default) for the sustained window. */
export const detectCpuAboveTarget: HealthRule = (input, options) =>
  detectAbove(input, options, {
    id: 'cpu-above-target',
    seriesId: METRIC_IDS.cpuAverage,
    name: 'CPU',
    threshold: options.cpuThresholdPercent,
  });

/** Memory stayed above its target (80% by default) for the sustained window. */
export const detectMemoryAboveTarget: HealthRule = (input, options) =>
  detectAbove(input, options, {
    id: 'memory-above-target',
    seriesId: METRIC_IDS.memoryAverage,
    name: 'Memory',
    threshold: options.memoryThresholdPercent,
  });
