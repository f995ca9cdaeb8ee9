import { METRIC_IDS } from '../metrics';
import { options, series } from './__testUtils__/builders';
import {
  detectCpuAboveTarget,
  detectMemoryAboveTarget,
} from './resourcePressure';

describe('detectCpuAboveTarget', () => {
  it('fires when every point of the last 10 minutes is above 70%', () => {
    const metrics = [
      series(
        METRIC_IDS.cpuAverage,
        [30, 75, 80, 85, 90, 88, 79, 77, 76, 71, 95],
      ),
    ];
    const findings = detectCpuAboveTarget({ tasks: [], metrics }, options);
    expect(findings).toEqual([
      expect.objectContaining({
        id: 'cpu-above-target',
        severity: 'warning',
        source: 'cloudwatch',
      }),
    ]);
    expect(findings[0].message).toContain('peak 95.0%');
  });

  it('is silent when one recent point dips below', () => {
    const metrics = [
      series(METRIC_IDS.cpuAverage, Array(9).fill(90).concat([60])),
    ];
    expect(detectCpuAboveTarget({ tasks: [], metrics }, options)).toEqual([]);
  });

  it('is silent when only older points were high', () => {
    const metrics = [
      series(
        METRIC_IDS.cpuAverage,
        Array(20).fill(95).concat(Array(10).fill(20)),
      ),
    ];
    expect(detectCpuAboveTarget({ tasks: [], metrics }, options)).toEqual([]);
  });

  it('is silent without data for the window', () => {
    const stale = [series(METRIC_IDS.cpuAverage, [95, 95], 60, 60)];
    expect(
      detectCpuAboveTarget({ tasks: [], metrics: stale }, options),
    ).toEqual([]);
    expect(detectCpuAboveTarget({ tasks: [] }, options)).toEqual([]);
  });

  it('uses the newest point of hourly series', () => {
    const metrics = [series(METRIC_IDS.cpuAverage, [40, 85], 3600, 30)];
    expect(detectCpuAboveTarget({ tasks: [], metrics }, options)).toHaveLength(
      1,
    );
  });
});

describe('detectMemoryAboveTarget', () => {
  it('fires above 80%', () => {
    const metrics = [series(METRIC_IDS.memoryAverage, Array(10).fill(81))];
    expect(detectMemoryAboveTarget({ tasks: [], metrics }, options)).toEqual([
      expect.objectContaining({ id: 'memory-above-target' }),
    ]);
  });

  it('is silent at 75% (above the CPU target, below memory)', () => {
    const metrics = [series(METRIC_IDS.memoryAverage, Array(10).fill(75))];
    expect(detectMemoryAboveTarget({ tasks: [], metrics }, options)).toEqual(
      [],
    );
  });

  it('does not read the CPU series', () => {
    const metrics = [series(METRIC_IDS.cpuAverage, Array(10).fill(99))];
    expect(detectMemoryAboveTarget({ tasks: [], metrics }, options)).toEqual(
      [],
    );
  });
});
