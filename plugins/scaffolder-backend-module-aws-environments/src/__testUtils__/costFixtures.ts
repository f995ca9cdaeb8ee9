import {
  CostEstimateResponse,
  DEFAULT_COST_ASSUMPTIONS,
  EnvironmentPrices,
  estimateEnvironmentCost,
} from '@envplane/plugin-aws-environments-common';

/** us-east-1 on-demand prices of the sandbox's snapshot. */
export const US_EAST_1: EnvironmentPrices = {
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

const settings = {
  taskCpu: 256,
  taskMemory: 512,
  desiredCount: 1,
  minCapacity: 1,
  maxCapacity: 10,
  loadBalancer: true,
};

/** test priced (the seed service), staging in a region without prices. */
export const ESTIMATE: CostEstimateResponse = {
  currency: 'USD',
  environments: [
    {
      environment: 'test',
      title: 'Test',
      region: 'us-east-1',
      settings,
      estimate: estimateEnvironmentCost(
        {
          taskCpu: 256,
          taskMemoryMiB: 512,
          minTasks: 1,
          maxTasks: 10,
          loadBalancer: true,
        },
        US_EAST_1,
      ),
      monthlyAtDesired: 153.16,
    },
    {
      environment: 'staging',
      title: 'Staging',
      region: 'ap-south-1',
      settings,
      error:
        'prices of ap-south-1 could not be read: No price in ap-south-1 for AmazonEC2 NatGateway-Hours',
    },
  ],
  total: {
    monthly: { low: 153.16, high: 239.02 },
    monthlyAtDesired: 153.16,
    complete: false,
  },
  priceDate: '2026-12-01T00:00:00Z',
  assumptions: DEFAULT_COST_ASSUMPTIONS,
  disclaimer: 'Estimates, not a quote.',
};
