import {
  EnvironmentCostInput,
  estimateEnvironmentCost,
} from './estimateEnvironmentCost';
import { EnvironmentPrices } from './prices';

/** us-east-1 on-demand list prices. */
const prices: EnvironmentPrices = {
  region: 'us-east-1',
  currency: 'USD',
  priceDate: '2026-12-01T00:00:00Z',
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  loadBalancerHour: 0.0225,
  loadBalancerLcuHour: 0.008,
  logsIngestionGb: 0.5,
  logsStorageGbMonth: 0.03,
  publicIpv4Hour: 0.005,
};

/** The seed service: 0.25 vCPU, 512 MiB, 1 to 10 tasks. */
const seed: EnvironmentCostInput = {
  taskCpu: 256,
  taskMemoryMiB: 512,
  minTasks: 1,
  maxTasks: 10,
  loadBalancer: true,
};

const monthly = (estimate: ReturnType<typeof estimateEnvironmentCost>) =>
  Object.fromEntries(estimate.lineItems.map(l => [l.id, l.monthly]));

describe('estimateEnvironmentCost', () => {
  it('prices every part of an environment with a load balancer, from the fewest tasks to the most', () => {
    const estimate = estimateEnvironmentCost(seed, prices);
    expect(monthly(estimate)).toEqual({
      // 3 × 730 h × $0.045
      'nat-gateway-hours': { low: 98.55, high: 98.55 },
      // 20 GB × $0.045
      'nat-gateway-data': { low: 0.9, high: 0.9 },
      // 0.25 vCPU × 730 h × $0.04048, × 1 and × 10 tasks
      'fargate-vcpu': { low: 7.39, high: 73.88 },
      // 0.5 GB × 730 h × $0.004445, × 1 and × 10 tasks
      'fargate-memory': { low: 1.62, high: 16.22 },
      // (3 NAT + 3 load balancer) addresses × 730 h × $0.005
      'public-ipv4': { low: 21.9, high: 21.9 },
      'load-balancer-hours': { low: 16.43, high: 16.43 },
      // 1 LCU × 730 h × $0.008
      'load-balancer-lcu': { low: 5.84, high: 5.84 },
      // 1 GB per task × $0.50
      'logs-ingestion': { low: 0.5, high: 5 },
      // 30 of 730/24 days kept: 0.986 GB per task × $0.03
      'logs-storage': { low: 0.03, high: 0.3 },
    });
    expect(estimate.monthly).toEqual({ low: 153.16, high: 239.02 });
    expect(estimate.lineItems.find(l => l.id === 'fargate-vcpu')).toMatchObject(
      { quantity: { low: 182.5, high: 1825 }, unit: 'vCPU-hours' },
    );
    expect(estimate).toMatchObject({
      region: 'us-east-1',
      currency: 'USD',
      priceDate: '2026-12-01T00:00:00Z',
    });
  });

  it('leaves out the load balancer and its addresses when there is none', () => {
    const estimate = estimateEnvironmentCost(
      { ...seed, loadBalancer: false, minTasks: 2, maxTasks: 2 },
      prices,
    );
    const lines = monthly(estimate);
    expect(Object.keys(lines)).not.toContain('load-balancer-hours');
    expect(Object.keys(lines)).not.toContain('load-balancer-lcu');
    expect(lines['public-ipv4']).toEqual({ low: 10.95, high: 10.95 });
    expect(lines['fargate-vcpu']).toEqual({ low: 14.78, high: 14.78 });
    expect(estimate.monthly.low).toBe(estimate.monthly.high);
  });

  it('scales Fargate with the task size', () => {
    const big = estimateEnvironmentCost(
      { ...seed, taskCpu: 1024, taskMemoryMiB: 2048 },
      prices,
    );
    // 1 vCPU × 730 h × $0.04048; 2 GB × 730 h × $0.004445
    expect(monthly(big)['fargate-vcpu'].low).toBe(29.55);
    expect(monthly(big)['fargate-memory'].low).toBe(6.49);
  });

  it('says on every line that it is an estimate and what it assumes', () => {
    const estimate = estimateEnvironmentCost(seed, prices);
    for (const item of estimate.lineItems) {
      expect(item.description).toMatch(/^Estimate: /);
      expect(item.assumptions.length).toBeGreaterThan(0);
    }
    const nat = estimate.lineItems.find(l => l.id === 'nat-gateway-data')!;
    expect(nat.assumptions.join(' ')).toContain('20 GB a month');
    const lcu = estimate.lineItems.find(l => l.id === 'load-balancer-lcu')!;
    expect(lcu.assumptions.join(' ')).toContain('1 LCU used on average');
    const logs = estimate.lineItems.find(l => l.id === 'logs-storage')!;
    expect(logs.assumptions).toContain('30-day retention');
    expect(estimate.disclaimer).toContain('published 2026-12-01T00:00:00Z');
    expect(estimate.disclaimer).toContain('not a quote');
    expect(estimate.excluded.map(e => e.item).join('\n')).toMatch(
      /VPC[\s\S]*SSM Parameter Store standard parameters/,
    );
  });

  it('uses the assumptions it is given', () => {
    const estimate = estimateEnvironmentCost(seed, prices, {
      natDataGbPerMonth: 100,
      loadBalancerLcuPerHour: 2.5,
      logGbPerTaskMonth: 4,
      logRetentionDays: 0,
    });
    const lines = monthly(estimate);
    expect(lines['nat-gateway-data']).toEqual({ low: 4.5, high: 4.5 });
    expect(lines['load-balancer-lcu']).toEqual({ low: 14.6, high: 14.6 });
    expect(lines['logs-ingestion']).toEqual({ low: 2, high: 20 });
    expect(lines['logs-storage']).toEqual({ low: 0, high: 0 });
    expect(estimate.assumptions).toMatchObject({
      hoursPerMonth: 730,
      natDataGbPerMonth: 100,
    });
  });

  it('refuses inputs in the wrong units or out of order', () => {
    expect(() =>
      estimateEnvironmentCost({ ...seed, taskCpu: 0.25 }, prices),
    ).toThrow(/^taskCpu must be a Fargate CPU size in units/);
    expect(() =>
      estimateEnvironmentCost({ ...seed, taskMemoryMiB: 0.5 }, prices),
    ).toThrow(/^taskMemoryMiB must be a whole number of MiB/);
    expect(() =>
      estimateEnvironmentCost({ ...seed, minTasks: 3, maxTasks: 2 }, prices),
    ).toThrow('minTasks (3) must not exceed maxTasks (2)');
    expect(() =>
      estimateEnvironmentCost(seed, prices, { natDataGbPerMonth: -1 }),
    ).toThrow('assumption natDataGbPerMonth must be a number >= 0, got -1');
    expect(() =>
      estimateEnvironmentCost(seed, prices, { hoursPerMonth: 0 }),
    ).toThrow('assumption hoursPerMonth must be more than 0');
  });
});
