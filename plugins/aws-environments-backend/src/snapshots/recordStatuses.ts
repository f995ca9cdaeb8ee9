import {
  EnvironmentStatus,
  summarizeStatus,
} from '@envplane/plugin-aws-environments-common';
import { SnapshotOptions } from './snapshotOptions';
import { StatusSnapshotStore } from './StatusSnapshotStore';

/**
 * Stores the summaries of statuses just read from AWS (a page's details, a
 * promotion's fresh read), so the overview shows what the details show.
 * Someone is looking at them, so they are next due a hot interval later.
 */
export async function recordStatuses(
  store: StatusSnapshotStore,
  options: Pick<SnapshotOptions, 'hotIntervalMs'>,
  project: string,
  statuses: EnvironmentStatus[],
  now: Date = new Date(),
): Promise<void> {
  const dueAt = new Date(now.getTime() + options.hotIntervalMs);
  for (const status of statuses) {
    await store.save(
      { project, environment: status.name },
      summarizeStatus(status),
      dueAt,
    );
  }
}
