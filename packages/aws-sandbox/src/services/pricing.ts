/*
 * AWS Price List Query API (awsJson1_1, AWSPriceListService.*), answered
 * from a dated snapshot (pricing/prices.json) of the few products the
 * environment cost estimate needs. The snapshot's own services are the only
 * ones known here; any other service code is refused as AWS refuses an
 * unknown one.
 */
import { AwsError } from '../protocol/errors';
import { paginate } from './paging';
import type { RequestContext, ServiceDefinition } from './types';
import snapshot from './pricing/prices.json';

/** One Price List record, as GetProducts returns it (JSON-encoded). */
interface PriceListRecord {
  product: {
    productFamily: string;
    attributes: Record<string, string>;
    sku: string;
  };
  serviceCode: string;
  terms: Record<string, unknown>;
  version: string;
  publicationDate: string;
}

// TypeScript types the JSON's records as a union of their literal shapes,
// which the looser record type covers.
const RECORDS = snapshot.products as unknown as PriceListRecord[];

/** The Price List API is served from these regions only. */
export const PRICING_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'];

const FORMAT_VERSION = 'aws_v1';
const PAGE_MAX = 100;

const FILTER_TYPES = new Set([
  'TERM_MATCH',
  'EQUALS',
  'CONTAINS',
  'ANY_OF',
  'NONE_OF',
]);

function invalid(message: string) {
  return new AwsError('InvalidParameterException', message);
}

/**
 * AWS has no Price List endpoint in other regions, so a real client fails
 * before it reaches AWS (the host does not resolve). The sandbox answers
 * every region on one port, so it refuses instead, naming the regions that
 * work: a client built for an environment's region is a bug either way.
 */
function checkRegion(ctx: RequestContext) {
  if (!PRICING_REGIONS.includes(ctx.region)) {
    throw new AwsError(
      'UnknownEndpointException',
      `The AWS Price List API has no endpoint in ${
        ctx.region
      }; use one of ${PRICING_REGIONS.join(', ')}`,
      404,
    );
  }
}

function checkFormat(formatVersion: unknown) {
  if (formatVersion !== undefined && formatVersion !== FORMAT_VERSION) {
    throw invalid(
      `Invalid FormatVersion ${String(
        formatVersion,
      )}. Valid values are: ${FORMAT_VERSION}`,
    );
  }
}

function serviceCodes(): string[] {
  return [...new Set(RECORDS.map(r => r.serviceCode))].sort();
}

function recordsOf(serviceCode: unknown): PriceListRecord[] {
  if (typeof serviceCode !== 'string' || serviceCode === '') {
    throw invalid('ServiceCode is a required parameter');
  }
  const records = RECORDS.filter(r => r.serviceCode === serviceCode);
  if (records.length === 0) {
    throw invalid(`Input ServiceCode ${serviceCode} is invalid`);
  }
  return records;
}

/** Attribute names of a service; productFamily is filterable like them. */
function attributeNames(records: PriceListRecord[]): string[] {
  const names = new Set<string>(['productFamily']);
  for (const r of records) {
    for (const key of Object.keys(r.product.attributes)) names.add(key);
  }
  return [...names].sort();
}

/**
 * A field's value in a record. Field names are matched without regard to
 * case, as AWS does (`ServiceCode` and `servicecode` both work).
 */
function fieldValue(
  record: PriceListRecord,
  field: string,
): string | undefined {
  const wanted = field.toLowerCase();
  if (wanted === 'servicecode') return record.serviceCode;
  if (wanted === 'productfamily') return record.product.productFamily;
  if (wanted === 'sku') return record.product.sku;
  const key = Object.keys(record.product.attributes).find(
    k => k.toLowerCase() === wanted,
  );
  return key === undefined ? undefined : record.product.attributes[key];
}

interface Filter {
  Type: string;
  Field: string;
  Value: string;
}

function parseFilters(raw: unknown): Filter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('Filters must be a list');
  return raw.map((f, i) => {
    const { Type, Field, Value } = (f ?? {}) as Record<string, unknown>;
    for (const [name, value] of [
      ['type', Type],
      ['field', Field],
      ['value', Value],
    ] as const) {
      if (typeof value !== 'string') {
        throw invalid(
          `1 validation error detected: Value null at 'filters.${
            i + 1
          }.member.${name}' failed to satisfy constraint: Member must not be null`,
        );
      }
    }
    if (!FILTER_TYPES.has(Type as string)) {
      throw invalid(
        `1 validation error detected: Value '${Type}' at 'filters.${
          i + 1
        }.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${[
          ...FILTER_TYPES,
        ].join(', ')}]`,
      );
    }
    return { Type, Field, Value } as Filter;
  });
}

function matches(record: PriceListRecord, filter: Filter): boolean {
  const value = fieldValue(record, filter.Field);
  const list = () => filter.Value.split(',').map(v => v.trim());
  switch (filter.Type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return value === filter.Value;
    case 'CONTAINS':
      return value !== undefined && value.includes(filter.Value);
    case 'ANY_OF':
      return value !== undefined && list().includes(value);
    case 'NONE_OF':
      return value === undefined || !list().includes(value);
    default:
      return false;
  }
}

function page<T>(items: T[], input: Record<string, any>, fingerprint: string) {
  return paginate(items, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
    defaultSize: PAGE_MAX,
    maxSize: PAGE_MAX,
    limitName: 'maxResults',
    limitError: 'InvalidParameterException',
    tokenError: 'InvalidNextTokenException',
    fingerprint,
  });
}

export const pricing: ServiceDefinition = {
  name: 'pricing',
  signingName: 'pricing',
  protocol: 'json1.1',
  targetPrefix: 'AWSPriceListService',
  operations: {
    GetProducts: (input, ctx) => {
      checkRegion(ctx);
      checkFormat(input.FormatVersion);
      const records = recordsOf(input.ServiceCode);
      const filters = parseFilters(input.Filters);
      const found = records
        .filter(r => filters.every(f => matches(r, f)))
        .sort((a, b) => a.product.sku.localeCompare(b.product.sku));
      const { page: items, nextToken } = page(
        found,
        input,
        JSON.stringify(['GetProducts', input.ServiceCode, filters]),
      );
      return {
        FormatVersion: FORMAT_VERSION,
        // Each record is a JSON document in a string, as on AWS.
        PriceList: items.map(r => JSON.stringify(r)),
        NextToken: nextToken,
      };
    },

    DescribeServices: (input, ctx) => {
      checkRegion(ctx);
      checkFormat(input.FormatVersion);
      const codes =
        input.ServiceCode === undefined || input.ServiceCode === ''
          ? serviceCodes()
          : [input.ServiceCode];
      const services = codes.map(code => ({
        ServiceCode: code,
        AttributeNames: attributeNames(recordsOf(code)),
      }));
      const { page: items, nextToken } = page(
        services,
        input,
        JSON.stringify(['DescribeServices', input.ServiceCode ?? '']),
      );
      return {
        Services: items,
        FormatVersion: FORMAT_VERSION,
        NextToken: nextToken,
      };
    },

    GetAttributeValues: (input, ctx) => {
      checkRegion(ctx);
      const records = recordsOf(input.ServiceCode);
      const name = input.AttributeName;
      if (typeof name !== 'string' || name === '') {
        throw invalid('AttributeName is a required parameter');
      }
      if (!attributeNames(records).some(a => a === name)) {
        throw new AwsError(
          'NotFoundException',
          `Attribute ${name} for service ${input.ServiceCode} does not exist`,
        );
      }
      const values = [
        ...new Set(
          records
            .map(r => fieldValue(r, name))
            .filter((v): v is string => v !== undefined),
        ),
      ].sort();
      const { page: items, nextToken } = page(
        values.map(Value => ({ Value })),
        input,
        JSON.stringify(['GetAttributeValues', input.ServiceCode, name]),
      );
      return { AttributeValues: items, NextToken: nextToken };
    },
  },
};
