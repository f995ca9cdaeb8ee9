import { ConfigReader } from '@backstage/config';
import { readBoundedInteger, readStatusOptions } from './statusOptions';

describe('readStatusOptions', () => {
  it('applies the defaults', () => {
    expect(readStatusOptions(new ConfigReader({}))).toEqual({
      cacheTtlSeconds: 30,
      refreshIntervalSeconds: 60,
      timeoutMs: 8000,
      maxStoppedTasks: 20,
      logEventLimit: 50,
    });
  });

  it('names the key of a value out of bounds', () => {
    expect(() =>
      readStatusOptions(
        new ConfigReader({
          awsEnvironments: { status: { maxStoppedTasks: 500 } },
        }),
      ),
    ).toThrow(
      'awsEnvironments.status.maxStoppedTasks must be an integer from 1 to 100, got 500',
    );
  });
});

describe('readBoundedInteger', () => {
  const config = (leaseSeconds: number) =>
    new ConfigReader({ awsEnvironments: { promotions: { leaseSeconds } } });
  const lease = (value: number) =>
    readBoundedInteger(
      config(value),
      'awsEnvironments.promotions.leaseSeconds',
      60,
      10,
      3600,
    );

  it('reads a value within bounds, or the default when absent', () => {
    expect(lease(15)).toBe(15);
    expect(readBoundedInteger(new ConfigReader({}), 'a.b', 60, 10, 3600)).toBe(
      60,
    );
  });

  it('refuses fractions and values out of bounds, naming the key', () => {
    expect(() => lease(5)).toThrow(
      'awsEnvironments.promotions.leaseSeconds must be an integer from 10 to 3600, got 5',
    );
    expect(() => lease(12.5)).toThrow(/got 12.5/);
  });
});
