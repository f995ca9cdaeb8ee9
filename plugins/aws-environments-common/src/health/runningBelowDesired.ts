import { HealthRule } from './types';

/**
 * Fewer tasks run than the service wants. No task at all is an outage; a
 * shortfall while a rollout starts new tasks is expected and only noted.
 */
export const detectRunningBelowDesired: HealthRule = input => {
  const service = input.service;
  if (!service || service.runningCount >= service.desiredCount) {
    return [];
  }
  const { runningCount: running, desiredCount: desired } = service;
  const rolling = service.deployments.some(
    d => d.rolloutState === 'IN_PROGRESS' && d.pendingCount > 0,
  );
  let severity: 'error' | 'warning' | 'info' = 'warning';
  if (running === 0) {
    severity = 'error';
  } else if (rolling) {
    severity = 'info';
  }
  return [
    {
      id: 'running-below-desired',
      severity,
      title: running === 0 ? 'No task running' : 'Running below desired count',
      message: `${running} of ${desired} desired tasks are running${
        service.pendingCount > 0 ? ` (${service.pendingCount} pending)` : ''
      }.`,
      source: 'ecs',
    },
  ];
};
