import { EcsTaskSummary } from '../types';
import { isWithinMinutes } from './time';
import { HealthRule } from './types';

/**
 * Whether a stopped task stopped because it failed, as opposed to being
 * replaced by a deployment or scaled in (those also end with SIGTERM/SIGKILL
 * exit codes 143/137, so exit codes alone would report every deployment).
 *
 * @public
 */
export function isCrashedTask(task: EcsTaskSummary): boolean {
  if (task.lastStatus !== 'STOPPED') {
    return false;
  }
  const nonZeroExit = task.containers.some(
    c => c.exitCode !== undefined && c.exitCode !== 0,
  );
  if (task.stopCode === 'TaskFailedToStart') {
    return true;
  }
  if (/health ?check/i.test(task.stoppedReason ?? '')) {
    return true;
  }
  if (task.stopCode === 'EssentialContainerExited') {
    return nonZeroExit;
  }
  // Without a stop code (older APIs, emulators) a non-zero exit is the only
  // signal we have.
  return task.stopCode === undefined && nonZeroExit;
}

/** Tasks keep failing: at least N crashed tasks within the window. */
export const detectCrashLooping: HealthRule = (input, options) => {
  const crashed = input.tasks.filter(
    t =>
      isCrashedTask(t) &&
      isWithinMinutes(options.now, t.stoppedAt, options.crashLoopWindowMinutes),
  );
  if (crashed.length < options.crashLoopThreshold) {
    return [];
  }
  const latest = crashed.reduce((a, b) =>
    (a.stoppedAt ?? '') >= (b.stoppedAt ?? '') ? a : b,
  );
  const failedContainer = latest.containers.find(
    c => c.exitCode !== undefined && c.exitCode !== 0,
  );
  const why = failedContainer
    ? `container ${failedContainer.name} exited with code ${
        failedContainer.exitCode
      }${failedContainer.reason ? ` (${failedContainer.reason})` : ''}`
    : latest.stoppedReason ?? latest.stopCode ?? 'unknown reason';
  return [
    {
      id: 'crash-looping',
      severity: 'error',
      title: 'Tasks are crash-looping',
      message: `${crashed.length} tasks failed in the last ${options.crashLoopWindowMinutes} minutes; the latest: ${why}.`,
      source: 'ecs',
    },
  ];
};
