import {
  DescribeServicesCommand,
  GetAttributeValuesCommand,
  GetProductsCommand,
  GetProductsCommandOutput,
  InvalidNextTokenException,
  InvalidParameterException,
  NotFoundException,
  PricingClient,
  paginateGetProducts,
} from '@aws-sdk/client-pricing';
import { useSandbox } from '../__testUtils__/sandbox';

describe('Price List Query API', () => {
  const t = useSandbox();
  const client = (region = 'us-east-1') =>
    new PricingClient({ ...t.config, region });

  /**
   * The SDK types PriceList loosely (a JSON value or strings); on the wire
   * and after deserialization it is a list of strings.
   */
  const records = (out: GetProductsCommandOutput): any[] =>
    (out.PriceList as string[]).map(s => JSON.parse(s));

  const term = (Field: string, Value: string) => ({
    Type: 'TERM_MATCH' as const,
    Field,
    Value,
  });

  it('answers GetProducts with JSON-encoded records that match every filter', async () => {
    const out = await client().send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        FormatVersion: 'aws_v1',
        Filters: [
          term('regionCode', 'eu-west-1'),
          term('productFamily', 'NAT Gateway'),
          term('usagetype', 'EU-NatGateway-Hours'),
        ],
      }),
    );
    expect(out.FormatVersion).toBe('aws_v1');
    expect(out.NextToken).toBeUndefined();
    expect(out.PriceList).toEqual([expect.any(String)]);
    const [record] = records(out);
    expect(record).toMatchObject({
      serviceCode: 'AmazonEC2',
      product: {
        productFamily: 'NAT Gateway',
        attributes: {
          regionCode: 'eu-west-1',
          location: 'EU (Ireland)',
          usagetype: 'EU-NatGateway-Hours',
        },
      },
    });
    expect(record.publicationDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    const [offer] = Object.values<any>(record.terms.OnDemand);
    const [dimension] = Object.values<any>(offer.priceDimensions);
    expect(dimension).toMatchObject({ unit: 'Hrs', beginRange: '0' });
    expect(Number(dimension.pricePerUnit.USD)).toBeGreaterThan(0.04);
    expect(Number(dimension.pricePerUnit.USD)).toBeLessThan(0.06);
  });

  it('has the products of the cost estimate in us-east-1, eu-west-1 and eu-central-1', async () => {
    const wanted: Array<[string, string, RegExp]> = [
      ['AmazonEC2', 'NAT Gateway', /NatGateway-Hours$/],
      ['AmazonEC2', 'NAT Gateway', /NatGateway-Bytes$/],
      ['AmazonECS', 'Compute', /-Fargate-vCPU-Hours:perCPU$/],
      ['AmazonECS', 'Compute', /-Fargate-GB-Hours$/],
      ['AWSELB', 'Load Balancer-Application', /LoadBalancerUsage$/],
      ['AWSELB', 'Load Balancer-Application', /LCUUsage$/],
      ['AmazonCloudWatch', 'Data Payload', /DataProcessing-Bytes$/],
      ['AmazonCloudWatch', 'Storage Snapshot', /TimedStorage-ByteHrs$/],
      ['AmazonVPC', 'VPC Public IPv4 Address', /PublicIPv4:InUseAddress$/],
    ];
    for (const region of ['us-east-1', 'eu-west-1', 'eu-central-1']) {
      for (const [ServiceCode, family, usage] of wanted) {
        const out = await client().send(
          new GetProductsCommand({
            ServiceCode,
            Filters: [
              term('regionCode', region),
              term('productFamily', family),
            ],
          }),
        );
        const usages: string[] = records(out).map(
          r => r.product.attributes.usagetype,
        );
        expect({
          region,
          family,
          hits: usages.filter(u => usage.test(u)),
        }).toEqual({ region, family, hits: [expect.any(String)] });
      }
    }
  });

  it('filters with EQUALS, CONTAINS, ANY_OF and NONE_OF, field names in any case', async () => {
    const usages = async (Filters: any[]) => {
      const out = await client().send(
        new GetProductsCommand({ ServiceCode: 'AmazonECS', Filters }),
      );
      return records(out)
        .map(r => r.product.attributes.usagetype)
        .sort();
    };
    const region = term('REGIONCODE', 'us-east-1');
    expect(
      await usages([
        region,
        { Type: 'CONTAINS', Field: 'usagetype', Value: 'ARM' },
      ]),
    ).toEqual([
      'USE1-Fargate-ARM-GB-Hours',
      'USE1-Fargate-ARM-vCPU-Hours:perCPU',
    ]);
    expect(
      await usages([
        {
          Type: 'ANY_OF',
          Field: 'usagetype',
          Value: 'USE1-Fargate-GB-Hours,EUC1-Fargate-GB-Hours',
        },
      ]),
    ).toEqual(['EUC1-Fargate-GB-Hours', 'USE1-Fargate-GB-Hours']);
    const rest = await usages([
      region,
      { Type: 'NONE_OF', Field: 'usagetype', Value: 'USE1-Fargate-GB-Hours' },
      { Type: 'EQUALS', Field: 'cputype', Value: 'perCPU' },
    ]);
    expect(rest).toEqual([
      'USE1-Fargate-ARM-vCPU-Hours:perCPU',
      'USE1-Fargate-vCPU-Hours:perCPU',
    ]);
    expect(await usages([term('regionCode', 'mars-north-1')])).toEqual([]);
  });

  it('pages with MaxResults and NextToken, and the SDK paginator reads every page', async () => {
    const first = await client().send(
      new GetProductsCommand({ ServiceCode: 'AmazonECS', MaxResults: 4 }),
    );
    expect(first.PriceList).toHaveLength(4);
    expect(first.NextToken).toEqual(expect.any(String));
    const all: any[] = [];
    let pages = 0;
    for await (const p of paginateGetProducts(
      { client: client(), pageSize: 4 },
      { ServiceCode: 'AmazonECS' },
    )) {
      pages += 1;
      all.push(...records(p));
    }
    // Five Fargate products in each of the three regions.
    expect(all).toHaveLength(15);
    expect(pages).toBe(4);
    expect(new Set(all.map(r => r.product.sku)).size).toBe(15);
    // A token belongs to the request it came from.
    await expect(
      client().send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it('refuses what AWS refuses', async () => {
    await expect(
      client().send(new GetProductsCommand({ ServiceCode: 'AmazonNope' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client().send(
        new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 101 }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client().send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          FormatVersion: 'aws_v2',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client().send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          Filters: [{ Type: 'FUZZY' as any, Field: 'usagetype', Value: 'x' }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('is served only where AWS serves it', async () => {
    const out = await client('eu-central-1').send(
      new GetProductsCommand({ ServiceCode: 'AWSELB', MaxResults: 1 }),
    );
    expect(out.PriceList).toHaveLength(1);
    await expect(
      client('eu-west-1').send(
        new GetProductsCommand({ ServiceCode: 'AWSELB' }),
      ),
    ).rejects.toMatchObject({
      name: 'UnknownEndpointException',
      message: expect.stringContaining('us-east-1, eu-central-1, ap-south-1'),
    });
  });

  it('describes services and lists attribute values', async () => {
    const all = await client().send(new DescribeServicesCommand({}));
    expect(all.Services!.map(s => s.ServiceCode)).toEqual([
      'AWSELB',
      'AmazonCloudWatch',
      'AmazonEC2',
      'AmazonECS',
      'AmazonVPC',
    ]);
    const ecs = await client().send(
      new DescribeServicesCommand({ ServiceCode: 'AmazonECS' }),
    );
    expect(ecs.Services![0].AttributeNames).toEqual(
      expect.arrayContaining(['regionCode', 'usagetype', 'productFamily']),
    );
    const families = await client().send(
      new GetAttributeValuesCommand({
        ServiceCode: 'AWSELB',
        AttributeName: 'productFamily',
      }),
    );
    expect(families.AttributeValues).toEqual([
      { Value: 'Load Balancer-Application' },
      { Value: 'Load Balancer-Network' },
    ]);
    const regions = await client().send(
      new GetAttributeValuesCommand({
        ServiceCode: 'AmazonEC2',
        AttributeName: 'regionCode',
        MaxResults: 2,
      }),
    );
    expect(regions.AttributeValues).toEqual([
      { Value: 'eu-central-1' },
      { Value: 'eu-west-1' },
    ]);
    expect(regions.NextToken).toEqual(expect.any(String));
    await expect(
      client().send(
        new GetAttributeValuesCommand({
          ServiceCode: 'AmazonEC2',
          AttributeName: 'volumeType',
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      client().send(new DescribeServicesCommand({ ServiceCode: 'AmazonS4' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
