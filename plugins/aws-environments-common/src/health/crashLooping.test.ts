import { minutesAgo, options, stoppedTask } from './__testUtils__/builders';
import { detectCrashLooping, isCrashedTask } from './crashLooping';

describe('isCrashedTask', () => {
  it('counts an essential container exiting non-zero', () => {
    expect(isCrashedTask(stoppedTask())).toBe(true);
  });

  it('does not count a clean exit', () => {
    expect(
      isCrashedTask(
        stoppedTask({ containers: [{ name: 'app', exitCode: 0 }] }),
      ),
    ).toBe(false);
  });

  it('does not count tasks a deployment or scale-in replaced', () => {
    expect(
      isCrashedTask(
        stoppedTask({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/2)',
          containers: [{ name: 'app', exitCode: 143 }],
        }),
      ),
    ).toBe(false);
  });

  it('counts tasks stopped for failing health checks', () => {
    expect(
      isCrashedTask(
        stoppedTask({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Task failed ELB health checks in (target-group x)',
          containers: [{ name: 'app', exitCode: 137 }],
        }),
      ),
    ).toBe(true);
  });

  it('counts tasks that failed to start', () => {
    expect(
      isCrashedTask(
        stoppedTask({
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotPullContainerError',
          containers: [{ name: 'app' }],
        }),
      ),
    ).toBe(true);
  });

  it('falls back to exit codes without a stop code', () => {
    expect(isCrashedTask(stoppedTask({ stopCode: undefined }))).toBe(true);
  });

  it('ignores running tasks', () => {
    expect(isCrashedTask(stoppedTask({ lastStatus: 'RUNNING' }))).toBe(false);
  });
});

describe('detectCrashLooping', () => {
  it('fires at the threshold and names the latest failure', () => {
    const tasks = [
      stoppedTask({ stoppedAt: minutesAgo(20) }),
      stoppedTask({ stoppedAt: minutesAgo(10) }),
      stoppedTask({
        stoppedAt: minutesAgo(2),
        containers: [{ name: 'app', exitCode: 2, reason: 'bad config' }],
      }),
    ];
    const [finding] = detectCrashLooping({ tasks }, options);
    expect(finding).toMatchObject({ id: 'crash-looping', severity: 'error' });
    expect(finding.message).toContain('3 tasks failed in the last 30 minutes');
    expect(finding.message).toContain(
      'container app exited with code 2 (bad config)',
    );
  });

  it('stays silent below the threshold', () => {
    const tasks = [stoppedTask(), stoppedTask()];
    expect(detectCrashLooping({ tasks }, options)).toEqual([]);
  });

  it('ignores crashes older than the window', () => {
    const tasks = [
      stoppedTask({ stoppedAt: minutesAgo(40) }),
      stoppedTask({ stoppedAt: minutesAgo(45) }),
      stoppedTask({ stoppedAt: minutesAgo(5) }),
    ];
    expect(detectCrashLooping({ tasks }, options)).toEqual([]);
  });

  it('ignores healthy replacements', () => {
    const tasks = Array.from({ length: 5 }, () =>
      stoppedTask({
        stopCode: 'ServiceSchedulerInitiated',
        containers: [{ name: 'app', exitCode: 143 }],
      }),
    );
    expect(detectCrashLooping({ tasks }, options)).toEqual([]);
  });

  it('honours a custom threshold', () => {
    expect(
      detectCrashLooping(
        { tasks: [stoppedTask()] },
        { ...options, crashLoopThreshold: 1 },
      ),
    ).toHaveLength(1);
  });
});
