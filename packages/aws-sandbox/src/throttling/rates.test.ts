/*
 * The rate table against the sandbox's services: every operation of a
 * throttled service draws on a bucket (so a new operation cannot slip past
 * throttling unnoticed), and no operation sits in two buckets.
 */
import { createSandbox } from '../start';
import { RATES, rateFor } from './rates';

describe('rate table', () => {
  const sandbox = createSandbox({ clock: 'manual', startTime: 0 });

  it('puts every operation of a throttled service in exactly one bucket', () => {
    const missing: string[] = [];
    for (const def of sandbox.services) {
      const groups = RATES[def.name];
      if (!groups) continue;
      for (const op of Object.keys(def.operations)) {
        const hits = groups.filter(g => g.operations.includes(op));
        if (hits.length !== 1)
          missing.push(`${def.name} ${op}: ${hits.length}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('throttles the services the portal reads, and only leaves STS and Price List out', () => {
    const names = sandbox.services.map(s => s.name).sort();
    expect(names.filter(n => !RATES[n])).toEqual(['pricing', 'sts']);
    expect(Object.keys(RATES).filter(n => !names.includes(n))).toEqual([]);
  });

  it("uses a region's own quota where AWS publishes one", () => {
    expect(rateFor('logs', 'FilterLogEvents', 'us-east-1')).toMatchObject({
      capacity: 25,
      refillPerSecond: 25,
    });
    expect(rateFor('logs', 'FilterLogEvents', 'ap-south-1')).toMatchObject({
      capacity: 10,
      refillPerSecond: 10,
    });
    expect(rateFor('ecs', 'DescribeTasks', 'eu-west-1')).toMatchObject({
      group: 'Cluster resource read actions',
      capacity: 100,
      refillPerSecond: 20,
    });
    expect(rateFor('sts', 'GetCallerIdentity', 'us-east-1')).toBeUndefined();
  });
});
