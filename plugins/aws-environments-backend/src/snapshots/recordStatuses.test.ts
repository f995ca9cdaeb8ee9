import { EnvironmentStatus } from '@envplane/plugin-aws-environments-common';
import { recordStatuses } from './recordStatuses';
import { StatusSnapshotStore } from './StatusSnapshotStore';

function status(name: string, fetchedAt: string): EnvironmentStatus {
  return {
    name,
    title: name,
    accountId: '000000000000',
    region: 'us-east-1',
    order: 0,
    health: 'healthy',
    findings: [],
    tasks: [],
    parameters: [],
    errors: [],
    consoleLinks: {},
    fetchedAt,
  } as unknown as EnvironmentStatus;
}

describe('recordStatuses', () => {
  it('stores each read once: the cache answering again with the same read writes nothing', async () => {
    const save = jest.fn(async () => {});
    const store = { save } as unknown as StatusSnapshotStore;
    const options = { hotIntervalMs: 60_000 };
    const recorded = new Map<string, string>();
    const first = [
      status('test', '2026-12-03T12:00:00.000Z'),
      status('qa', '2026-12-03T12:00:00.000Z'),
    ];
    await recordStatuses(store, options, 'shop', first, new Date(), recorded);
    expect(save).toHaveBeenCalledTimes(2);
    await recordStatuses(store, options, 'shop', first, new Date(), recorded);
    expect(save).toHaveBeenCalledTimes(2);
    // A new read of one environment is stored; the other is not again.
    await recordStatuses(
      store,
      options,
      'shop',
      [status('test', '2026-12-03T12:00:30.000Z'), first[1]],
      new Date(),
      recorded,
    );
    expect(save).toHaveBeenCalledTimes(3);
    expect(save).toHaveBeenLastCalledWith(
      { project: 'shop', environment: 'test' },
      expect.objectContaining({ name: 'test' }),
      expect.any(Date),
    );
    // Without the memo (a promotion's fresh read), every status is stored.
    await recordStatuses(store, options, 'shop', first);
    expect(save).toHaveBeenCalledTimes(5);
  });
});
