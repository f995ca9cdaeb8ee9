import { METRIC_IDS } from '../metrics';
import { options, series, service } from './__testUtils__/builders';
import { detectScalingPinnedAtMax } from './scalingPinnedAtMax';

const scaled = (desiredCount: number, min = 2, max = 6) =>
  service({
    desiredCount,
    runningCount: desiredCount,
    scaling: { minCapacity: min, maxCapacity: max },
  });

describe('detectScalingPinnedAtMax', () => {
  it('warns when tasks stayed at max for the whole window', () => {
    const metrics = [series(METRIC_IDS.runningTaskCount, Array(10).fill(6))];
    expect(
      detectScalingPinnedAtMax(
        { service: scaled(6), tasks: [], metrics },
        options,
      ),
    ).toEqual([
      expect.objectContaining({
        id: 'scaling-pinned-at-max',
        severity: 'warning',
        source: 'autoscaling',
      }),
    ]);
  });

  it('is silent when the window shows it only just reached max', () => {
    const metrics = [
      series(METRIC_IDS.runningTaskCount, [3, 3, 4, 4, 5, 5, 6, 6, 6, 6]),
    ];
    expect(
      detectScalingPinnedAtMax(
        { service: scaled(6), tasks: [], metrics },
        options,
      ),
    ).toEqual([]);
  });

  it('only notes it without task-count metrics', () => {
    expect(
      detectScalingPinnedAtMax({ service: scaled(6), tasks: [] }, options),
    ).toEqual([expect.objectContaining({ severity: 'info' })]);
  });

  it('is silent below max', () => {
    const metrics = [series(METRIC_IDS.runningTaskCount, Array(10).fill(4))];
    expect(
      detectScalingPinnedAtMax(
        { service: scaled(4), tasks: [], metrics },
        options,
      ),
    ).toEqual([]);
  });

  it('is silent for fixed-size services', () => {
    expect(
      detectScalingPinnedAtMax(
        { service: scaled(2, 2, 2), tasks: [] },
        options,
      ),
    ).toEqual([]);
  });

  it('is silent without auto scaling', () => {
    expect(
      detectScalingPinnedAtMax({ service: service(), tasks: [] }, options),
    ).toEqual([]);
  });
});
