/*
 * Listing parameters: GetParametersByPath and DescribeParameters, with the
 * parameter filters both take.
 */
import { AwsError } from '../protocol/errors';
import type { Handler, RequestContext } from './types';
import type { SsmParameter } from '../state';
import { paginate } from './paging';
import { checkMax, invalid } from './ssmValidation';
import { parameterArn } from './ssmParameters';
import { outputParameter } from './ssmVersions';

function metadata(ctx: RequestContext, p: SsmParameter) {
  return {
    Name: p.Name,
    ARN: parameterArn(ctx, p.Name),
    Type: p.Type,
    KeyId: p.KeyId,
    LastModifiedDate: new Date(p.LastModifiedDate),
    LastModifiedUser: p.LastModifiedUser,
    Description: p.Description,
    AllowedPattern: p.AllowedPattern,
    Version: p.Version,
    Tier: p.Tier,
    Policies: [],
    DataType: p.DataType,
  };
}

interface ParameterFilter {
  Key: string;
  Option?: string;
  Values?: string[];
}

function filterMatches(p: SsmParameter, filters: ParameterFilter[]): boolean {
  for (const f of filters) {
    const values = f.Values ?? [];
    const key = f.Key;
    if (key === 'Name') {
      const option = f.Option ?? 'Equals';
      const ok = values.some(v => {
        const name = v.startsWith('/') || !p.Name.startsWith('/') ? v : `/${v}`;
        if (option === 'Equals') return p.Name === name;
        if (option === 'BeginsWith') return p.Name.startsWith(name);
        if (option === 'Contains') return p.Name.includes(v);
        return false;
      });
      if (!ok) return false;
    } else if (key === 'Path') {
      const option = f.Option ?? 'OneLevel';
      const ok = values.some(v => {
        const base = v.endsWith('/') ? v : `${v}/`;
        if (v === '/') {
          return option === 'Recursive' || p.Name.lastIndexOf('/') === 0;
        }
        if (!p.Name.startsWith(base)) return false;
        return (
          option === 'Recursive' || !p.Name.slice(base.length).includes('/')
        );
      });
      if (!ok) return false;
    } else if (key === 'Type') {
      if (!values.includes(p.Type)) return false;
    } else if (key === 'KeyId') {
      if (!values.includes(p.KeyId ?? '')) return false;
    } else if (key === 'Tier') {
      if (!values.includes(p.Tier)) return false;
    } else if (key === 'DataType') {
      if (!values.includes(p.DataType)) return false;
    } else if (key === 'Label') {
      if (!values.some(v => p.Labels.includes(v))) return false;
    } else if (key.startsWith('tag:')) {
      const tag = p.Tags.find(t => t.Key === key.slice(4));
      if (!tag || (values.length > 0 && !values.includes(tag.Value))) {
        return false;
      }
    } else {
      throw new AwsError(
        'InvalidFilterKey',
        `The following filter key is not valid: ${key}. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType, Label, tag].`,
      );
    }
  }
  return true;
}

/** Byte-order comparison, as AWS sorts names. */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function sortedParams(ctx: RequestContext): SsmParameter[] {
  return Object.values(ctx.regionState.ssm.parameters).sort((a, b) =>
    compare(a.Name, b.Name),
  );
}

export const listingOperations: Record<string, Handler> = {
  GetParametersByPath: (input, ctx) => {
    const path = input.Path;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw invalid(
        'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
      );
    }
    checkMax(input.MaxResults, 'maxResults', 10);
    const filters: ParameterFilter[] = input.ParameterFilters ?? [];
    for (const f of filters) {
      if (f.Key === 'Path' || f.Key === 'Name' || f.Key === 'Tier') {
        throw invalid(
          `The following filter key is not valid: ${f.Key}. Valid filter keys include: [Type, KeyId, Label, tag].`,
        );
      }
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const matching = sortedParams(ctx).filter(p => {
      if (!p.Name.startsWith(prefix)) return false;
      if (!input.Recursive && p.Name.slice(prefix.length).includes('/')) {
        return false;
      }
      return filterMatches(p, filters);
    });
    const { page, nextToken } = paginate(matching, {
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      defaultSize: 10,
      maxSize: 10,
      fingerprint: `${path}|${!!input.Recursive}`,
    });
    return {
      Parameters: page.map(p =>
        outputParameter(ctx, p, input.WithDecryption === true),
      ),
      NextToken: nextToken,
    };
  },

  DescribeParameters: (input, ctx) => {
    checkMax(input.MaxResults, 'maxResults', 50);
    const filters: ParameterFilter[] = [
      ...(input.ParameterFilters ?? []),
      ...(input.Filters ?? []).map((f: any) => ({
        Key: f.Key,
        Option: f.Key === 'Name' ? 'BeginsWith' : undefined,
        Values: f.Values,
      })),
    ];
    const matching = sortedParams(ctx).filter(p => filterMatches(p, filters));
    const { page, nextToken } = paginate(matching, {
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      defaultSize: 50,
      maxSize: 50,
      fingerprint: JSON.stringify(filters),
    });
    return {
      Parameters: page.map(p => metadata(ctx, p)),
      NextToken: nextToken,
    };
  },
};
