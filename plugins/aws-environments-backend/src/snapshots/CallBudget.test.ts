import { CallBudget } from './CallBudget';

describe('CallBudget', () => {
  it('never lets more than the rate through per account and region, after a burst of one second', async () => {
    let now = 0;
    const sent: number[] = [];
    const budget = new CallBudget(
      5,
      () => now,
      async ms => {
        now += ms;
      },
    );
    for (let i = 0; i < 20; i++) {
      await budget.take('111111111111:eu-west-1', 4);
      sent.push(now);
    }
    // 5-call burst holds one refresh of 4; then one every 0.8 s.
    expect(sent.slice(0, 3)).toEqual([0, 600, 1400]);
    const calls = sent.length * 4;
    const seconds = sent[sent.length - 1] / 1000;
    expect(calls - 5).toBeLessThanOrEqual(seconds * 5);
    // Another account and region has a budget of its own.
    const before = now;
    await budget.take('222222222222:eu-west-1', 4);
    expect(now).toBe(before);
  });

  it('lets a request larger than the rate through once the bucket is full', () => {
    let now = 0;
    const budget = new CallBudget(2, () => now);
    expect(budget.tryTake('a', 3)).toBe(0);
    expect(budget.tryTake('a', 3)).toBe(1500);
    now = 1500;
    expect(budget.tryTake('a', 3)).toBe(0);
  });
});
