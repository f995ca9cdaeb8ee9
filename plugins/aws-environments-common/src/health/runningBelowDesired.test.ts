import { deployment, options, service } from './__testUtils__/builders';
import { detectRunningBelowDesired } from './runningBelowDesired';

describe('detectRunningBelowDesired', () => {
  it('is silent when running meets desired', () => {
    expect(
      detectRunningBelowDesired({ service: service(), tasks: [] }, options),
    ).toEqual([]);
  });

  it('is silent without a service', () => {
    expect(detectRunningBelowDesired({ tasks: [] }, options)).toEqual([]);
  });

  it('is an error when nothing runs', () => {
    const [finding] = detectRunningBelowDesired(
      { service: service({ runningCount: 0, pendingCount: 1 }), tasks: [] },
      options,
    );
    expect(finding).toMatchObject({
      id: 'running-below-desired',
      severity: 'error',
      source: 'ecs',
    });
    expect(finding.message).toBe(
      '0 of 2 desired tasks are running (1 pending).',
    );
  });

  it('is a warning when some tasks are missing', () => {
    expect(
      detectRunningBelowDesired(
        { service: service({ runningCount: 1 }), tasks: [] },
        options,
      ),
    ).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });

  it('is only a note while a rollout starts tasks', () => {
    const svc = service({
      runningCount: 1,
      pendingCount: 1,
      deployments: [
        deployment({ rolloutState: 'IN_PROGRESS', pendingCount: 1 }),
      ],
    });
    expect(
      detectRunningBelowDesired({ service: svc, tasks: [] }, options),
    ).toEqual([expect.objectContaining({ severity: 'info' })]);
  });
});
