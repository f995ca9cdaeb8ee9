import {
  EnvironmentStatus,
  summarizeStatus,
} from '@envplane/plugin-aws-environments-common';
import { SnapshotOptions } from './snapshotOptions';
import { StatusSnapshotStore, snapshotId } from './StatusSnapshotStore';

/** Snapshots whose latest recorded read this replica remembers, at most. */
const MAX_REMEMBERED = 10_000;

/**
 * Stores the summaries of statuses just read from AWS (a page's details, a
 * promotion's fresh read), so the overview shows what the details show.
 * Someone is looking at them, so they are next due a hot interval later.
 *
 * With `recorded` (snapshot id to the `fetchedAt` last stored), a status
 * already stored is skipped: the status cache answers many requests with
 * one read, and writing the same rows on each made concurrent views queue
 * on row locks.
 */
export async function recordStatuses(
  store: StatusSnapshotStore,
  options: Pick<SnapshotOptions, 'hotIntervalMs'>,
  project: string,
  statuses: EnvironmentStatus[],
  now: Date = new Date(),
  recorded?: Map<string, string>,
): Promise<void> {
  const dueAt = new Date(now.getTime() + options.hotIntervalMs);
  for (const status of statuses) {
    const key = { project, environment: status.name };
    const id = snapshotId(key);
    if (recorded?.get(id) === status.fetchedAt) continue;
    await store.save(key, summarizeStatus(status), dueAt);
    if (recorded) {
      recorded.delete(id);
      recorded.set(id, status.fetchedAt);
      if (recorded.size > MAX_REMEMBERED) {
        recorded.delete(recorded.keys().next().value!);
      }
    }
  }
}
