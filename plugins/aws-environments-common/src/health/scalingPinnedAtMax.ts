import { METRIC_IDS } from '../metrics';
import { findSeries, recentValues, sustained } from './metricWindow';
import { HealthRule } from './types';

/**
 * Auto scaling wants more than it may have: the desired count sits at the
 * maximum. With task-count metrics for the whole sustained window that is a
 * warning; without them it may be a brief peak, so only a note.
 */
export const detectScalingPinnedAtMax: HealthRule = (input, options) => {
  const service = input.service;
  const scaling = service?.scaling;
  // A fixed-size service (min === max) is always "at max"; nothing to report.
  if (
    !service ||
    !scaling ||
    scaling.minCapacity === scaling.maxCapacity ||
    service.desiredCount < scaling.maxCapacity
  ) {
    return [];
  }
  const values = recentValues(
    findSeries(input, METRIC_IDS.runningTaskCount),
    options.now,
    options.sustainedMinutes,
  );
  if (values.length > 0 && !sustained(values, v => v >= scaling.maxCapacity)) {
    return [];
  }
  const pinned = values.length > 0;
  return [
    {
      id: 'scaling-pinned-at-max',
      severity: pinned ? 'warning' : 'info',
      title: 'Scaling at maximum',
      message: pinned
        ? `The service has run at its auto scaling maximum of ${scaling.maxCapacity} tasks for the last ${options.sustainedMinutes} minutes; raise the maximum or find the load.`
        : `The desired count is at the auto scaling maximum of ${scaling.maxCapacity} tasks.`,
      source: 'autoscaling',
    },
  ];
};
