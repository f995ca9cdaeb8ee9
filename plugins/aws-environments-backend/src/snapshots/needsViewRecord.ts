import { StoredSnapshot } from './StatusSnapshotStore';

/** How often views of one snapshot are written down, at most. */
export const VIEW_RECORD_INTERVAL_MS = 30_000;

/**
 * Whether a view now changes the snapshot's row: it has none, was not
 * viewed lately, is due later than a viewed one should be, or is missing or
 * stale without a request for it yet.
 */
export function needsViewRecord(
  snapshot: StoredSnapshot | undefined,
  now: Date,
  when: { staleBefore: Date; dueBy: Date },
): boolean {
  if (!snapshot?.viewedAt) return true;
  if (now.getTime() - snapshot.viewedAt.getTime() >= VIEW_RECORD_INTERVAL_MS) {
    return true;
  }
  if (snapshot.dueAt > when.dueBy) return true;
  const stale = !snapshot.fetchedAt || snapshot.fetchedAt < when.staleBefore;
  return stale && !snapshot.requestedAt;
}
