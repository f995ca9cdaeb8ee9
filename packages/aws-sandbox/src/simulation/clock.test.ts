import { Clock } from './clock';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('Clock', () => {
  it('in real mode goes on at wall-time pace after an advance, rather than waiting for wall time to catch up', async () => {
    const clock = new Clock('real', Date.now());
    clock.advance(300_000);
    const jumped = clock.now();
    await sleep(60);
    clock.sync();
    expect(clock.now() - jumped).toBeGreaterThanOrEqual(50);
    expect(clock.now() - jumped).toBeLessThan(300_000);
  });

  it('visits what a listener has due on the way, and in manual mode moves only when advanced', () => {
    const clock = new Clock('manual', 0);
    const ticks: number[] = [];
    clock.addListener({
      nextDueAt: now => (now < 3000 ? now + 1000 : undefined),
      onTick: now => ticks.push(now),
    });
    clock.sync();
    expect(clock.now()).toBe(0);
    clock.advance(5000);
    expect(ticks).toEqual([1000, 2000, 3000, 5000]);
  });
});
