import { parseEnvironmentPrices } from './prices';

type Dimension = { beginRange: string; unit: string; usd: string };

/** A record in the Price List API's shape, as a GetProducts item. */
function record(
  serviceCode: string,
  productFamily: string,
  regionCode: string,
  usagetype: string,
  unit: string,
  usd: string,
  options: { publicationDate?: string; tiers?: Dimension[] } = {},
): string {
  const sku = `${serviceCode}-${regionCode}-${usagetype}`;
  const dimensions = options.tiers ?? [{ beginRange: '0', unit, usd }];
  return JSON.stringify({
    product: {
      productFamily,
      attributes: { servicecode: serviceCode, regionCode, usagetype },
      sku,
    },
    serviceCode,
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: Object.fromEntries(
            dimensions.map((d, i) => [
              `${sku}.JRTCKXETXF.${i}`,
              {
                unit: d.unit,
                beginRange: d.beginRange,
                endRange: 'Inf',
                pricePerUnit: { USD: d.usd },
              },
            ]),
          ),
          offerTermCode: 'JRTCKXETXF',
        },
      },
    },
    version: '20261201000000',
    publicationDate: options.publicationDate ?? '2026-12-01T00:00:00Z',
  });
}

/** Everything the estimate needs in eu-west-1, with neighbours to ignore. */
function euWest1(): string[] {
  const r = 'eu-west-1';
  return [
    record(
      'AmazonEC2',
      'NAT Gateway',
      r,
      'EU-NatGateway-Hours',
      'Hrs',
      '0.0480000000',
    ),
    record(
      'AmazonEC2',
      'NAT Gateway',
      r,
      'EU-NatGateway-Bytes',
      'GB',
      '0.0480000000',
    ),
    record(
      'AmazonECS',
      'Compute',
      r,
      'EU-Fargate-vCPU-Hours:perCPU',
      'hours',
      '0.0404800000',
      { publicationDate: '2026-11-20T10:00:00Z' },
    ),
    record(
      'AmazonECS',
      'Compute',
      r,
      'EU-Fargate-GB-Hours',
      'GB-Hours',
      '0.0044450000',
    ),
    record(
      'AmazonECS',
      'Compute',
      r,
      'EU-Fargate-ARM-vCPU-Hours:perCPU',
      'hours',
      '0.0323800000',
    ),
    record(
      'AWSELB',
      'Load Balancer-Application',
      r,
      'EU-LoadBalancerUsage',
      'Hrs',
      '0.0252000000',
    ),
    record(
      'AWSELB',
      'Load Balancer-Application',
      r,
      'EU-LCUUsage',
      'LCU-Hrs',
      '0.0080000000',
    ),
    record(
      'AWSELB',
      'Load Balancer-Network',
      r,
      'EU-LoadBalancerUsage',
      'Hrs',
      '0.0999000000',
    ),
    record(
      'AmazonCloudWatch',
      'Data Payload',
      r,
      'EU-DataProcessing-Bytes',
      'GB',
      '0.5700000000',
      { publicationDate: '2026-12-02T08:00:00Z' },
    ),
    record(
      'AmazonCloudWatch',
      'Data Payload',
      r,
      'EU-DataProcessingIA-Bytes',
      'GB',
      '0.2850000000',
    ),
    record(
      'AmazonCloudWatch',
      'Storage Snapshot',
      r,
      'EU-TimedStorage-ByteHrs',
      'GB-Mo',
      '0.0300000000',
    ),
    record(
      'AmazonVPC',
      'VPC Public IPv4 Address',
      r,
      'EU-PublicIPv4:InUseAddress',
      'Hrs',
      '0.0050000000',
    ),
    record(
      'AmazonVPC',
      'VPC Public IPv4 Address',
      r,
      'EU-PublicIPv4:IdleAddress',
      'Hrs',
      '0.0070000000',
    ),
    record(
      'AmazonEC2',
      'NAT Gateway',
      'us-east-1',
      'NatGateway-Hours',
      'Hrs',
      '0.0450000000',
    ),
  ];
}

describe('parseEnvironmentPrices', () => {
  it('reads each price from its own product, ignoring other products and regions', () => {
    expect(parseEnvironmentPrices('eu-west-1', euWest1().reverse())).toEqual({
      region: 'eu-west-1',
      currency: 'USD',
      priceDate: '2026-12-02T08:00:00Z',
      natGatewayHour: 0.048,
      natGatewayGb: 0.048,
      fargateVcpuHour: 0.04048,
      fargateGbHour: 0.004445,
      loadBalancerHour: 0.0252,
      loadBalancerLcuHour: 0.008,
      logsIngestionGb: 0.57,
      logsStorageGbMonth: 0.03,
      publicIpv4Hour: 0.005,
    });
  });

  it('reads us-east-1 usage types, which have no region prefix for some services', () => {
    const prices = parseEnvironmentPrices(
      'us-east-1',
      euWest1()
        .map(s =>
          s
            .replace(/"regionCode":"eu-west-1"/, '"regionCode":"us-east-1"')
            .replace(
              /"usagetype":"EU-(NatGateway|LoadBalancer|LCU)/,
              '"usagetype":"$1',
            )
            .replace(/"usagetype":"EU-/, '"usagetype":"USE1-'),
        )
        .slice(0, -1),
    );
    expect(prices.natGatewayHour).toBe(0.048);
    expect(prices.fargateVcpuHour).toBe(0.04048);
    expect(prices.loadBalancerLcuHour).toBe(0.008);
  });

  it('takes the first tier of a tiered price', () => {
    const items = euWest1().filter(s => !s.includes('EU-DataProcessing-Bytes'));
    items.push(
      record(
        'AmazonCloudWatch',
        'Data Payload',
        'eu-west-1',
        'EU-DataProcessing-Bytes',
        'GB',
        '',
        {
          tiers: [
            { beginRange: '10240', unit: 'GB', usd: '0.2850000000' },
            { beginRange: '0', unit: 'GB', usd: '0.5700000000' },
          ],
        },
      ),
    );
    expect(parseEnvironmentPrices('eu-west-1', items).logsIngestionGb).toBe(
      0.57,
    );
  });

  it('names what is missing instead of estimating without it', () => {
    const items = euWest1().filter(
      s => !s.includes('EU-LCUUsage') && !s.includes('EU-Fargate-GB-Hours'),
    );
    expect(() => parseEnvironmentPrices('eu-west-1', items)).toThrow(
      'No price in eu-west-1 for AmazonECS Fargate-GB-Hours, AWSELB LCUUsage',
    );
    expect(() => parseEnvironmentPrices('eu-central-1', euWest1())).toThrow(
      /^No price in eu-central-1 for AmazonEC2 NatGateway-Hours/,
    );
  });

  it('refuses a price in another unit, two matching products and items that are not JSON', () => {
    const wrongUnit = euWest1().map(s =>
      s.includes('EU-TimedStorage') ? s.replace('"GB-Mo"', '"GB-Hrs"') : s,
    );
    expect(() => parseEnvironmentPrices('eu-west-1', wrongUnit)).toThrow(
      'AmazonCloudWatch TimedStorage-ByteHrs is priced per GB-Hrs, expected per GB-Mo',
    );
    const twice = [
      ...euWest1(),
      euWest1()[0].replace('JRTCKXETXF', 'OTHERTERM'),
    ];
    expect(() => parseEnvironmentPrices('eu-west-1', twice)).toThrow(
      '2 products match AmazonEC2 NatGateway-Hours in eu-west-1',
    );
    expect(() => parseEnvironmentPrices('eu-west-1', ['{"product":'])).toThrow(
      'A PriceList item is not a JSON object',
    );
    const noPrice = euWest1().map(s =>
      s.includes('EU-NatGateway-Bytes')
        ? s.replace('"USD":"0.0480000000"', '"EUR":"1"')
        : s,
    );
    expect(() => parseEnvironmentPrices('eu-west-1', noPrice)).toThrow(
      'AmazonEC2 NatGateway-Bytes has no USD price',
    );
  });
});
