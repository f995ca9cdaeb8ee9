import { SingleFlight } from './SingleFlight';

describe('SingleFlight', () => {
  it('runs concurrent calls of one key once', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release: (value: number) => void = () => {};
    const work = () => {
      runs += 1;
      return new Promise<number>(resolve => {
        release = resolve;
      });
    };
    const all = Promise.all(
      Array.from({ length: 200 }, () => flight.run('a', work)),
    );
    expect(flight.size).toBe(1);
    release(42);
    expect(await all).toEqual(Array(200).fill(42));
    expect(runs).toBe(1);
    expect(flight.size).toBe(0);
  });

  it('runs different keys separately', async () => {
    const flight = new SingleFlight<string>();
    const results = await Promise.all([
      flight.run('a', async () => 'a'),
      flight.run('b', async () => 'b'),
    ]);
    expect(results).toEqual(['a', 'b']);
  });

  it('shares a failure, then lets the next call try again', async () => {
    const flight = new SingleFlight<string>();
    const failing = () => Promise.reject(new Error('boom'));
    await expect(
      Promise.all([flight.run('a', failing), flight.run('a', failing)]),
    ).rejects.toThrow('boom');
    expect(flight.size).toBe(0);
    await expect(flight.run('a', async () => 'ok')).resolves.toBe('ok');
  });
});
