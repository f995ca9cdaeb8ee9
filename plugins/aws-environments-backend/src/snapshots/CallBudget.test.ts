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

  it('lets an interactive take go before a background one waiting for the same key', async () => {
    // Real time, 20 calls a second, the bucket emptied first.
    const budget = new CallBudget(20);
    expect(budget.tryTake('k', 20)).toBe(0);
    const order: string[] = [];
    // The refresher needs 5 calls (250 ms); a person's first view arrives
    // 10 ms later and needs 10 (500 ms). Without priority the refresher's
    // take would be served first, at 250 ms.
    const background = budget
      .take('k', 5, 'background')
      .then(() => order.push('background'));
    await new Promise(resolve => setTimeout(resolve, 10));
    const interactive = budget
      .take('k', 10, 'interactive')
      .then(() => order.push('interactive'));
    await Promise.all([background, interactive]);
    expect(order).toEqual(['interactive', 'background']);
    // Another key's background take does not wait for this one's.
    expect(budget.tryTake('other', 1)).toBe(0);
  });
});
