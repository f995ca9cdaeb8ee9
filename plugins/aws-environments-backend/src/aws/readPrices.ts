import { paginateGetProducts } from '@aws-sdk/client-pricing';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ENVIRONMENT_PRICE_PRODUCTS,
  EnvironmentPrices,
  parseEnvironmentPrices,
} from '@envplane/plugin-aws-environments-common';
import {
  AwsClientFactory,
  AwsClientTarget,
} from '@envplane/plugin-aws-environments-node';
import { tolerantCache } from '../service/tolerantCache';
import { pricingClient } from './awsClients';

/** List prices change a few times a year; a day old is fresh enough. */
export const PRICES_TTL_MS = 24 * 60 * 60 * 1000;
/** Bumped when the cached shape changes, so old entries are not misread. */
const CACHE_VERSION = 1;
/**
 * A region's records of one product family fit in a page or two; more
 * means the filters no longer narrow the query, so stop rather than page
 * through a whole service's price list.
 */
const MAX_PAGES = 10;

/** The GetProducts queries: one per service and product family. */
function queries(): Array<{ serviceCode: string; productFamily: string }> {
  const seen = new Map<
    string,
    { serviceCode: string; productFamily: string }
  >();
  for (const p of ENVIRONMENT_PRICE_PRODUCTS) {
    seen.set(`${p.serviceCode}/${p.productFamily}`, {
      serviceCode: p.serviceCode,
      productFamily: p.productFamily,
    });
  }
  return [...seen.values()];
}

/**
 * Reads the on-demand prices an environment's cost estimate needs from the
 * AWS Price List API, for the region of `target` with the credentials of
 * its account, and keeps them in the cache for a day, per region. A cache
 * that fails is skipped, never fatal.
 */
export class PriceReader {
  private readonly cache: CacheService;

  constructor(
    private readonly deps: {
      clients: AwsClientFactory;
      cache: CacheService;
      logger: LoggerService;
    },
  ) {
    this.cache = tolerantCache(deps.cache, deps.logger).withOptions({
      defaultTtl: PRICES_TTL_MS,
    });
  }

  async read(target: AwsClientTarget): Promise<EnvironmentPrices> {
    const key = `prices:v${CACHE_VERSION}:${target.region}`;
    const cached = await this.cache.get<string>(key);
    if (typeof cached === 'string') {
      return JSON.parse(cached) as EnvironmentPrices;
    }
    const prices = await this.fetch(target);
    await this.cache.set(key, JSON.stringify(prices), { ttl: PRICES_TTL_MS });
    return prices;
  }

  private async fetch(target: AwsClientTarget): Promise<EnvironmentPrices> {
    const client = await pricingClient(this.deps.clients, target.accountId);
    const pages = await Promise.all(
      queries().map(async ({ serviceCode, productFamily }) => {
        const items: unknown[] = [];
        let count = 0;
        for await (const page of paginateGetProducts(
          { client, pageSize: 100 },
          {
            ServiceCode: serviceCode,
            FormatVersion: 'aws_v1',
            Filters: [
              { Type: 'TERM_MATCH', Field: 'regionCode', Value: target.region },
              {
                Type: 'TERM_MATCH',
                Field: 'productFamily',
                Value: productFamily,
              },
            ],
          },
        )) {
          count += 1;
          if (count > MAX_PAGES) {
            throw new Error(
              `GetProducts for ${serviceCode} ${productFamily} in ${target.region} returned more than ${MAX_PAGES} pages`,
            );
          }
          // The SDK types PriceList loosely; its items are JSON strings.
          items.push(...((page.PriceList ?? []) as unknown[]));
        }
        return items;
      }),
    );
    return parseEnvironmentPrices(target.region, pages.flat());
  }
}
