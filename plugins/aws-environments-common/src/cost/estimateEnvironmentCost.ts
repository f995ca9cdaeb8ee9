import { EnvironmentPrices } from './prices';

/**
 * What an environment is provisioned with, as far as its cost goes.
 *
 * @public
 */
export interface EnvironmentCostInput {
  /** Task CPU in ECS units (256 = 0.25 vCPU), as the task definition has it. */
  taskCpu: number;
  /** Task memory in MiB. */
  taskMemoryMiB: number;
  /** The fewest tasks autoscaling keeps: the low end of the estimate. */
  minTasks: number;
  /** The most tasks autoscaling starts: the high end of the estimate. */
  maxTasks: number;
  /** Whether the environment has its Application Load Balancer. */
  loadBalancer: boolean;
}

/**
 * The usage the estimate assumes where the configuration does not say.
 *
 * @public
 */
export interface CostAssumptions {
  /** Hours in a month; AWS's pricing calculator uses 730. */
  hoursPerMonth: number;
  /** GB through the NAT gateways per month: image pulls and outbound calls. */
  natDataGbPerMonth: number;
  /** Average load balancer capacity units used per hour. */
  loadBalancerLcuPerHour: number;
  /** GB of logs each running task writes per month. */
  logGbPerTaskMonth: number;
  /** How long log groups keep events, in days. */
  logRetentionDays: number;
}

/**
 * The assumptions {@link estimateEnvironmentCost} uses unless told
 * otherwise; the log retention is the environment stacks' one month.
 *
 * @public
 */
export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  hoursPerMonth: 730,
  natDataGbPerMonth: 20,
  loadBalancerLcuPerHour: 1,
  logGbPerTaskMonth: 1,
  logRetentionDays: 30,
};

/**
 * A monthly amount in USD at the low (fewest tasks) and high (most tasks)
 * end.
 *
 * @public
 */
export interface CostRange {
  /** With the fewest tasks all month. */
  low: number;
  /** With the most tasks all month. */
  high: number;
}

/**
 * One priced line of an estimate.
 *
 * @public
 */
export interface CostLineItem {
  /** Stable id, e.g. `nat-gateway-hours`. */
  id: string;
  /** What is charged, e.g. `NAT gateway hours`. */
  title: string;
  /** Billed units per month at the low and high end. */
  quantity: CostRange;
  /** The unit of `quantity`, e.g. `NAT gateway-hours`. */
  unit: string;
  /** USD per unit. */
  unitPrice: number;
  /** USD per month, rounded to cents. */
  monthly: CostRange;
  /** How the line is worked out; it always starts with `Estimate:`. */
  description: string;
  /** What the line assumes, in words. */
  assumptions: string[];
}

/**
 * A part of the environment that costs nothing, or nothing that this
 * estimate prices.
 *
 * @public
 */
export interface CostExclusion {
  /** What it is. */
  item: string;
  /** Why it is not priced. */
  reason: string;
}

/**
 * The monthly cost estimate of one environment.
 *
 * @public
 */
export interface EnvironmentCostEstimate {
  /** The region the prices are for. */
  region: string;
  /** Always `USD`. */
  currency: 'USD';
  /** When the prices were published (ISO 8601). */
  priceDate: string;
  /** The sum of the lines. */
  monthly: CostRange;
  /** The priced lines. */
  lineItems: CostLineItem[];
  /** What costs nothing or is not priced, and why. */
  excluded: CostExclusion[];
  /** The assumptions the lines use. */
  assumptions: CostAssumptions;
  /** What the estimate is and is not, in one sentence. */
  disclaimer: string;
}

/** One NAT gateway in each of the environment's three availability zones. */
const NAT_GATEWAYS = 3;
/** An internet-facing load balancer has an address in each of its zones. */
const LOAD_BALANCER_ADDRESSES = 3;
const FARGATE_CPU_UNITS = [256, 512, 1024, 2048, 4096, 8192, 16384];
const HOURS_PER_DAY = 24;

const cents = (usd: number) => Math.round(usd * 100) / 100;
const usd = (n: number) => `$${n}`;

function check(input: EnvironmentCostInput, a: CostAssumptions) {
  if (!FARGATE_CPU_UNITS.includes(input.taskCpu)) {
    throw new Error(
      `taskCpu must be a Fargate CPU size in units (${FARGATE_CPU_UNITS.join(
        ', ',
      )}), got ${input.taskCpu}`,
    );
  }
  if (!(Number.isInteger(input.taskMemoryMiB) && input.taskMemoryMiB >= 512)) {
    throw new Error(
      `taskMemoryMiB must be a whole number of MiB, at least 512, got ${input.taskMemoryMiB}`,
    );
  }
  for (const key of ['minTasks', 'maxTasks'] as const) {
    if (!(Number.isInteger(input[key]) && input[key] >= 0)) {
      throw new Error(`${key} must be a whole number, got ${input[key]}`);
    }
  }
  if (input.minTasks > input.maxTasks) {
    throw new Error(
      `minTasks (${input.minTasks}) must not exceed maxTasks (${input.maxTasks})`,
    );
  }
  for (const [key, value] of Object.entries(a)) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new Error(`assumption ${key} must be a number >= 0, got ${value}`);
    }
  }
  if (a.hoursPerMonth === 0) {
    throw new Error('assumption hoursPerMonth must be more than 0');
  }
}

function line(fields: Omit<CostLineItem, 'monthly'>): CostLineItem {
  return {
    ...fields,
    monthly: {
      low: cents(fields.quantity.low * fields.unitPrice),
      high: cents(fields.quantity.high * fields.unitPrice),
    },
  };
}

const same = (n: number): CostRange => ({ low: n, high: n });

const EXCLUDED: CostExclusion[] = [
  {
    item: 'VPC, subnets, route tables, internet gateway, security groups',
    reason: 'no charge',
  },
  {
    item: 'ECS cluster and service, Application Auto Scaling',
    reason: 'no charge; Fargate tasks are priced above',
  },
  {
    item: 'SSM Parameter Store standard parameters (SecureString included)',
    reason: 'no charge for standard parameters and standard throughput',
  },
  {
    item: 'KMS decryption of the SecureString (AWS managed key aws/ssm)',
    reason:
      'no monthly key fee; requests are within the 20,000 a month AWS does not charge for, unless the account makes many more',
  },
  {
    item: 'CloudWatch ECS metrics',
    reason: 'basic AWS/ECS metrics are free',
  },
  {
    item: 'CloudWatch alarms of the CPU and memory target-tracking policies',
    reason:
      'not priced: four alarms per environment, free within the account’s first ten alarms, charged per alarm-month beyond',
  },
  {
    item: 'Data transfer to the internet, Fargate ephemeral storage over 20 GB, ECR image storage',
    reason: 'not priced: depends on traffic and images',
  },
];

/**
 * Estimates an environment's monthly AWS cost from its configuration and
 * the region's on-demand prices (see `parseEnvironmentPrices`): from the
 * fewest tasks running all month to the most. Every line names the usage
 * it assumes; actual bills differ with traffic, log volume, data transfer,
 * taxes, free tiers, discounts and price changes.
 *
 * @public
 */
export function estimateEnvironmentCost(
  input: EnvironmentCostInput,
  prices: EnvironmentPrices,
  assumptions: Partial<CostAssumptions> = {},
): EnvironmentCostEstimate {
  const a: CostAssumptions = { ...DEFAULT_COST_ASSUMPTIONS, ...assumptions };
  check(input, a);
  const hours = a.hoursPerMonth;
  const vcpu = input.taskCpu / 1024;
  const memoryGb = input.taskMemoryMiB / 1024;
  const taskHours: CostRange = {
    low: input.minTasks * hours,
    high: input.maxTasks * hours,
  };
  const tasks = `${input.minTasks} to ${input.maxTasks} tasks running all month`;
  const month = `${hours} hours a month`;

  const lines: CostLineItem[] = [
    line({
      id: 'nat-gateway-hours',
      title: 'NAT gateway hours',
      quantity: same(NAT_GATEWAYS * hours),
      unit: 'NAT gateway-hours',
      unitPrice: prices.natGatewayHour,
      description: `Estimate: ${NAT_GATEWAYS} NAT gateways × ${hours} h × ${usd(
        prices.natGatewayHour,
      )} per hour`,
      assumptions: [`one NAT gateway per availability zone (3)`, month],
    }),
    line({
      id: 'nat-gateway-data',
      title: 'NAT gateway data processing',
      quantity: same(a.natDataGbPerMonth),
      unit: 'GB',
      unitPrice: prices.natGatewayGb,
      description: `Estimate: ${a.natDataGbPerMonth} GB × ${usd(
        prices.natGatewayGb,
      )} per GB`,
      assumptions: [
        `${a.natDataGbPerMonth} GB a month leave the private subnets through the NAT gateways (image pulls, outbound calls)`,
      ],
    }),
    line({
      id: 'fargate-vcpu',
      title: 'Fargate vCPU',
      quantity: { low: taskHours.low * vcpu, high: taskHours.high * vcpu },
      unit: 'vCPU-hours',
      unitPrice: prices.fargateVcpuHour,
      description: `Estimate: ${vcpu} vCPU per task × task-hours × ${usd(
        prices.fargateVcpuHour,
      )} per vCPU-hour`,
      assumptions: [tasks, month, 'Linux on x86'],
    }),
    line({
      id: 'fargate-memory',
      title: 'Fargate memory',
      quantity: {
        low: taskHours.low * memoryGb,
        high: taskHours.high * memoryGb,
      },
      unit: 'GB-hours',
      unitPrice: prices.fargateGbHour,
      description: `Estimate: ${memoryGb} GB per task × task-hours × ${usd(
        prices.fargateGbHour,
      )} per GB-hour`,
      assumptions: [tasks, month, 'Linux on x86'],
    }),
  ];

  const addresses =
    NAT_GATEWAYS + (input.loadBalancer ? LOAD_BALANCER_ADDRESSES : 0);
  lines.push(
    line({
      id: 'public-ipv4',
      title: 'Public IPv4 addresses',
      quantity: same(addresses * hours),
      unit: 'address-hours',
      unitPrice: prices.publicIpv4Hour,
      description: `Estimate: ${addresses} addresses × ${hours} h × ${usd(
        prices.publicIpv4Hour,
      )} per hour`,
      assumptions: [
        `an Elastic IP for each NAT gateway (${NAT_GATEWAYS})`,
        ...(input.loadBalancer
          ? [
              `the load balancer holds one address in each zone (${LOAD_BALANCER_ADDRESSES}); it can hold more under load`,
            ]
          : []),
        month,
      ],
    }),
  );

  if (input.loadBalancer) {
    lines.push(
      line({
        id: 'load-balancer-hours',
        title: 'Application Load Balancer hours',
        quantity: same(hours),
        unit: 'load balancer-hours',
        unitPrice: prices.loadBalancerHour,
        description: `Estimate: 1 load balancer × ${hours} h × ${usd(
          prices.loadBalancerHour,
        )} per hour`,
        assumptions: [month],
      }),
      line({
        id: 'load-balancer-lcu',
        title: 'Application Load Balancer capacity units',
        quantity: same(a.loadBalancerLcuPerHour * hours),
        unit: 'LCU-hours',
        unitPrice: prices.loadBalancerLcuHour,
        description: `Estimate: ${
          a.loadBalancerLcuPerHour
        } LCU × ${hours} h × ${usd(prices.loadBalancerLcuHour)} per LCU-hour`,
        assumptions: [
          `${a.loadBalancerLcuPerHour} LCU used on average each hour (light traffic; an LCU is 25 new connections/s, 3,000 active connections, 1 GB/h processed or 1,000 rule evaluations/s, whichever is highest)`,
        ],
      }),
    );
  }

  const ingestGb: CostRange = {
    low: input.minTasks * a.logGbPerTaskMonth,
    high: input.maxTasks * a.logGbPerTaskMonth,
  };
  // Steady state: the group holds retentionDays' worth of what comes in.
  const keptShare = (a.logRetentionDays * HOURS_PER_DAY) / hours;
  lines.push(
    line({
      id: 'logs-ingestion',
      title: 'CloudWatch Logs ingestion',
      quantity: ingestGb,
      unit: 'GB',
      unitPrice: prices.logsIngestionGb,
      description: `Estimate: ${
        a.logGbPerTaskMonth
      } GB per task × tasks × ${usd(prices.logsIngestionGb)} per GB`,
      assumptions: [
        `${a.logGbPerTaskMonth} GB of logs per task a month`,
        tasks,
        'Standard log class',
      ],
    }),
    line({
      id: 'logs-storage',
      title: 'CloudWatch Logs storage',
      quantity: {
        low: ingestGb.low * keptShare,
        high: ingestGb.high * keptShare,
      },
      unit: 'GB-months',
      unitPrice: prices.logsStorageGbMonth,
      description: `Estimate: ${
        a.logRetentionDays
      } days of ingested logs kept × ${usd(
        prices.logsStorageGbMonth,
      )} per GB-month`,
      assumptions: [
        `${a.logRetentionDays}-day retention`,
        'stored size equal to ingested size (CloudWatch compresses, so usually less)',
      ],
    }),
  );

  const sum = (end: keyof CostRange) =>
    cents(lines.reduce((total, l) => total + l.monthly[end], 0));
  return {
    region: prices.region,
    currency: 'USD',
    priceDate: prices.priceDate,
    monthly: { low: sum('low'), high: sum('high') },
    lineItems: lines,
    excluded: EXCLUDED.map(e => ({ ...e })),
    assumptions: a,
    disclaimer: `An estimate from AWS's on-demand list prices published ${prices.priceDate} and the assumptions listed, not a quote: actual bills differ with traffic, log volume, data transfer, free tiers, discounts, taxes and price changes.`,
  };
}
