import { VIEW_RECORD_INTERVAL_MS, needsViewRecord } from './needsViewRecord';
import { StoredSnapshot } from './StatusSnapshotStore';

const now = new Date('2026-12-03T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const when = {
  staleBefore: ago(120_000),
  dueBy: new Date(now.getTime() + 60_000),
};
const fresh: StoredSnapshot = {
  project: 'shop',
  environment: 'test',
  fetchedAt: ago(10_000),
  viewedAt: ago(5_000),
  dueAt: new Date(now.getTime() + 50_000),
};

describe('needsViewRecord', () => {
  it('skips a snapshot viewed moments ago, read recently and due soon', () => {
    expect(needsViewRecord(fresh, now, when)).toBe(false);
  });

  it('records a snapshot without a row or never viewed', () => {
    expect(needsViewRecord(undefined, now, when)).toBe(true);
    expect(needsViewRecord({ ...fresh, viewedAt: undefined }, now, when)).toBe(
      true,
    );
  });

  it('records a view again once the interval has passed', () => {
    const viewedAt = ago(VIEW_RECORD_INTERVAL_MS);
    expect(needsViewRecord({ ...fresh, viewedAt }, now, when)).toBe(true);
    const justBefore = ago(VIEW_RECORD_INTERVAL_MS - 1);
    expect(needsViewRecord({ ...fresh, viewedAt: justBefore }, now, when)).toBe(
      false,
    );
  });

  it('records a snapshot due later than a viewed one should be', () => {
    const dueAt = new Date(when.dueBy.getTime() + 1);
    expect(needsViewRecord({ ...fresh, dueAt }, now, when)).toBe(true);
  });

  it('asks for a stale or missing summary once, until it is read', () => {
    const stale = { ...fresh, fetchedAt: ago(200_000) };
    expect(needsViewRecord(stale, now, when)).toBe(true);
    expect(needsViewRecord({ ...fresh, fetchedAt: undefined }, now, when)).toBe(
      true,
    );
    expect(
      needsViewRecord({ ...stale, requestedAt: ago(1_000) }, now, when),
    ).toBe(false);
  });
});
