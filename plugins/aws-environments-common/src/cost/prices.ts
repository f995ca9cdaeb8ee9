/**
 * Which AWS Price List products an environment's estimate needs, and how to
 * read their on-demand prices from GetProducts' `PriceList` strings.
 */

/**
 * The unit prices an environment's cost estimate is built from, in USD.
 *
 * @public
 */
export interface EnvironmentPrices {
  /** The AWS region the prices are for. */
  region: string;
  /** Always `USD`: the Price List API's on-demand prices. */
  currency: 'USD';
  /**
   * When the prices were published: the newest `publicationDate` of the
   * records they come from (ISO 8601).
   */
  priceDate: string;
  /** One NAT gateway for one hour. */
  natGatewayHour: number;
  /** One GB processed by a NAT gateway. */
  natGatewayGb: number;
  /** One Fargate vCPU (Linux, x86) for one hour. */
  fargateVcpuHour: number;
  /** One GB of Fargate memory (Linux, x86) for one hour. */
  fargateGbHour: number;
  /** One Application Load Balancer for one hour. */
  loadBalancerHour: number;
  /** One Application Load Balancer capacity unit (LCU) for one hour. */
  loadBalancerLcuHour: number;
  /** One GB of log data ingested into CloudWatch Logs (Standard class). */
  logsIngestionGb: number;
  /** One GB of CloudWatch Logs storage for one month. */
  logsStorageGbMonth: number;
  /** One in-use public IPv4 address for one hour. */
  publicIpv4Hour: number;
}

/**
 * The price keys of {@link EnvironmentPrices}.
 *
 * @public
 */
export type EnvironmentPriceKey = Exclude<
  keyof EnvironmentPrices,
  'region' | 'currency' | 'priceDate'
>;

/**
 * One product of the Price List API that the estimate needs.
 *
 * @public
 */
export interface EnvironmentPriceProduct {
  /** The price it provides. */
  key: EnvironmentPriceKey;
  /** The Price List service code, e.g. `AmazonEC2`. */
  serviceCode: string;
  /** The product's `productFamily`. */
  productFamily: string;
  /**
   * The product's `usagetype` without its region prefix: `NatGateway-Hours`
   * matches `NatGateway-Hours` (us-east-1), `EU-NatGateway-Hours` and
   * `EUC1-NatGateway-Hours`.
   */
  usageType: string;
  /** The unit of its on-demand price, as the Price List names it. */
  unit: string;
}

/**
 * The products behind {@link EnvironmentPrices}. Fetch each distinct
 * (serviceCode, productFamily) pair with GetProducts, filtered by
 * `regionCode` and `productFamily`, and hand every record to
 * {@link parseEnvironmentPrices}.
 *
 * @public
 */
export const ENVIRONMENT_PRICE_PRODUCTS: ReadonlyArray<EnvironmentPriceProduct> =
  [
    {
      key: 'natGatewayHour',
      serviceCode: 'AmazonEC2',
      productFamily: 'NAT Gateway',
      usageType: 'NatGateway-Hours',
      unit: 'Hrs',
    },
    {
      key: 'natGatewayGb',
      serviceCode: 'AmazonEC2',
      productFamily: 'NAT Gateway',
      usageType: 'NatGateway-Bytes',
      unit: 'GB',
    },
    {
      key: 'fargateVcpuHour',
      serviceCode: 'AmazonECS',
      productFamily: 'Compute',
      usageType: 'Fargate-vCPU-Hours:perCPU',
      unit: 'hours',
    },
    {
      key: 'fargateGbHour',
      serviceCode: 'AmazonECS',
      productFamily: 'Compute',
      usageType: 'Fargate-GB-Hours',
      unit: 'GB-Hours',
    },
    {
      key: 'loadBalancerHour',
      serviceCode: 'AWSELB',
      productFamily: 'Load Balancer-Application',
      usageType: 'LoadBalancerUsage',
      unit: 'Hrs',
    },
    {
      key: 'loadBalancerLcuHour',
      serviceCode: 'AWSELB',
      productFamily: 'Load Balancer-Application',
      usageType: 'LCUUsage',
      unit: 'LCU-Hrs',
    },
    {
      key: 'logsIngestionGb',
      serviceCode: 'AmazonCloudWatch',
      productFamily: 'Data Payload',
      usageType: 'DataProcessing-Bytes',
      unit: 'GB',
    },
    {
      key: 'logsStorageGbMonth',
      serviceCode: 'AmazonCloudWatch',
      productFamily: 'Storage Snapshot',
      usageType: 'TimedStorage-ByteHrs',
      unit: 'GB-Mo',
    },
    {
      key: 'publicIpv4Hour',
      serviceCode: 'AmazonVPC',
      productFamily: 'VPC Public IPv4 Address',
      usageType: 'PublicIPv4:InUseAddress',
      unit: 'Hrs',
    },
  ];

// Region prefixes of usage types are upper-case letters and digits (EU,
// EUC1, USE1, APS3); the usage types themselves start with a capital
// followed by lower case (NatGateway-Hours) or have no dash (LCUUsage).
const REGION_PREFIX = /^[A-Z]+\d*-/;

function usageTypeOf(usagetype: string): string {
  return usagetype.replace(REGION_PREFIX, '');
}

interface PriceRecord {
  serviceCode?: string;
  publicationDate?: string;
  product?: {
    productFamily?: string;
    attributes?: Record<string, string>;
  };
  terms?: {
    OnDemand?: Record<
      string,
      {
        priceDimensions?: Record<
          string,
          {
            unit?: string;
            beginRange?: string;
            pricePerUnit?: Record<string, string>;
          }
        >;
      }
    >;
  };
}

function readRecord(item: unknown): PriceRecord {
  const text = typeof item === 'string' ? item : String(item);
  try {
    const record = JSON.parse(text);
    if (record && typeof record === 'object') return record as PriceRecord;
  } catch {
    // reported below
  }
  throw new Error('A PriceList item is not a JSON object');
}

/**
 * The first-tier on-demand USD price: tiered products (log ingestion in
 * some regions) list one dimension per tier, and an environment's volume
 * stays in the first.
 */
function onDemandUsd(
  record: PriceRecord,
  product: EnvironmentPriceProduct,
): number {
  const dimensions = Object.values(record.terms?.OnDemand ?? {}).flatMap(term =>
    Object.values(term.priceDimensions ?? {}),
  );
  const first = dimensions.find(d => (d.beginRange ?? '0') === '0');
  const what = `${product.serviceCode} ${product.usageType}`;
  if (!first) {
    throw new Error(`${what} has no on-demand price`);
  }
  if (first.unit !== product.unit) {
    throw new Error(
      `${what} is priced per ${first.unit}, expected per ${product.unit}`,
    );
  }
  const price = Number(first.pricePerUnit?.USD);
  if (first.pricePerUnit?.USD === undefined || !Number.isFinite(price)) {
    throw new Error(`${what} has no USD price`);
  }
  return price;
}

/**
 * Reads the prices of {@link ENVIRONMENT_PRICE_PRODUCTS} in one region from
 * GetProducts' `PriceList` items (JSON strings), from any number of calls
 * and in any order. Records of other regions and products are ignored.
 * Throws an error naming what is missing, ambiguous or not in the expected
 * unit, rather than estimate with a wrong price.
 *
 * @public
 */
export function parseEnvironmentPrices(
  region: string,
  priceList: ReadonlyArray<unknown>,
): EnvironmentPrices {
  const records = priceList.map(readRecord);
  const prices: Partial<Record<EnvironmentPriceKey, number>> = {};
  const missing: string[] = [];
  let priceDate = '';
  for (const product of ENVIRONMENT_PRICE_PRODUCTS) {
    const found = records.filter(r => {
      const attributes = r.product?.attributes ?? {};
      return (
        r.serviceCode === product.serviceCode &&
        r.product?.productFamily === product.productFamily &&
        attributes.regionCode === region &&
        usageTypeOf(attributes.usagetype ?? '') === product.usageType
      );
    });
    if (found.length === 0) {
      missing.push(`${product.serviceCode} ${product.usageType}`);
      continue;
    }
    if (found.length > 1) {
      throw new Error(
        `${found.length} products match ${product.serviceCode} ${product.usageType} in ${region}`,
      );
    }
    prices[product.key] = onDemandUsd(found[0], product);
    const published = found[0].publicationDate ?? '';
    if (published > priceDate) priceDate = published;
  }
  if (missing.length > 0) {
    throw new Error(`No price in ${region} for ${missing.join(', ')}`);
  }
  if (!priceDate) {
    throw new Error(`The price records of ${region} have no publicationDate`);
  }
  return {
    region,
    currency: 'USD',
    priceDate,
    ...(prices as Record<EnvironmentPriceKey, number>),
  };
}
