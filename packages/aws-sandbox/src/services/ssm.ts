/*
 * SSM Parameter Store (awsJson1_1, AmazonSSM.*). Versions, overwrite rules,
 * hierarchical paths and SecureString handling follow AWS: a SecureString's
 * value is only returned with WithDecryption=true; otherwise the caller gets
 * an opaque ciphertext. Values never appear in logs.
 */
import { createHmac } from 'node:crypto';
import { AwsError } from '../protocol/errors';
import type { ModelContext, RequestContext, ServiceDefinition } from './types';
import type { SsmParameter, SsmParameterVersion } from '../state';
import { paginate } from './paging';
import { isForeignArn } from '../arn';

const TYPES = new Set(['String', 'StringList', 'SecureString']);
const TIERS = new Set(['Standard', 'Advanced', 'Intelligent-Tiering']);

/** What the model functions need; CloudFormation passes its own context. */
export type SsmContext = ModelContext;

function invalid(message: string) {
  return new AwsError('ValidationException', message);
}

function notFound(name: string) {
  return new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
}

export function parameterArn(ctx: SsmContext, name: string): string {
  return `arn:aws:ssm:${ctx.region}:${ctx.caller.account}:parameter${
    name.startsWith('/') ? '' : '/'
  }${name}`;
}

/**
 * Accepts a name or an ARN and returns the name. Another account's ARN is
 * refused as IAM refuses a cross-account request no resource policy allows:
 * the sandbox has no parameter sharing (RAM), so nothing is ever shared.
 */
function nameOf(ctx: SsmContext, raw: string, action: string): string {
  if (isForeignArn(raw, ctx.caller.account)) {
    throw new AwsError(
      'AccessDeniedException',
      `User: ${ctx.caller.arn} is not authorized to perform: ssm:${action} on resource: ${raw} because no resource-based policy allows the ssm:${action} action`,
    );
  }
  const m = /^arn:aws[a-z-]*:ssm:[^:]*:\d{12}:parameter(\/.*)$/.exec(raw);
  if (!m) return raw;
  const rest = m[1];
  // An ARN of "/a/b" is parameter/a/b; a non-hierarchical "x" is parameter/x.
  return rest.indexOf('/', 1) === -1 ? rest.slice(1) : rest;
}

export function validateName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  }
  if (name.length > 2048) {
    throw invalid(
      `1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    );
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw invalid(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  }
  const first = name.replace(/^\//, '').split('/')[0].toLowerCase();
  if (first.startsWith('aws') || first.startsWith('ssm')) {
    throw invalid(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw invalid('Parameter name must be a fully qualified name.');
  }
  if (name.split('/').length - 1 > 15) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels.',
    );
  }
  return name;
}

/**
 * What a SecureString looks like without decryption: a stable, KMS-like
 * base64 blob derived from name and version, never from the value.
 */
function ciphertext(seed: number, p: SsmParameterVersion): string {
  const mac = createHmac('sha256', `aws-sandbox-kms-${seed}`)
    .update(`${p.Name}#${p.Version}#${p.KeyId ?? 'alias/aws/ssm'}`)
    .digest();
  const blob = Buffer.concat([
    Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]),
    mac,
    createHmac('sha256', mac).update('2').digest(),
  ]);
  return blob.toString('base64');
}

function outputParameter(
  ctx: RequestContext,
  p: SsmParameterVersion,
  decrypt: boolean,
  selector?: string,
) {
  return {
    Name: p.Name,
    Type: p.Type,
    Value:
      p.Type === 'SecureString' && !decrypt
        ? ciphertext(ctx.sandbox.state.seed, p)
        : p.Value,
    Version: p.Version,
    Selector: selector,
    LastModifiedDate: new Date(p.LastModifiedDate),
    ARN: parameterArn(ctx, p.Name),
    DataType: p.DataType,
  };
}

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

/** Resolves "name", "name:3" or "name:label" to one version. */
function select(
  ctx: RequestContext,
  raw: string,
  action: string,
): { param: SsmParameterVersion; selector?: string } | undefined {
  const params = ctx.regionState.ssm.parameters;
  const name = nameOf(ctx, raw, action);
  const direct = params[name];
  if (direct) return { param: direct };
  const colon = name.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const base = params[name.slice(0, colon)];
  const sel = name.slice(colon + 1);
  if (!base) return undefined;
  if (/^\d+$/.test(sel)) {
    const v = [base, ...base.history].find(h => h.Version === Number(sel));
    if (!v) {
      throw new AwsError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${sel} of ${base.Name}. Verify the version and try again.`,
      );
    }
    return { param: v, selector: `:${sel}` };
  }
  const v = [base, ...base.history].find(h => h.Labels.includes(sel));
  if (!v) return undefined;
  return { param: v, selector: `:${sel}` };
}

function checkMax(value: unknown, name: string, max: number) {
  if (value === undefined) return;
  if (typeof value !== 'number' || value < 1 || value > max) {
    throw invalid(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
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

export interface PutParameterInput {
  Name: string;
  Value: string;
  Type?: string;
  Overwrite?: boolean;
  Description?: string;
  KeyId?: string;
  Tier?: string;
  AllowedPattern?: string;
  DataType?: string;
  Tags?: { Key: string; Value: string }[];
}

/** Shared by the API and by CloudFormation's AWS::SSM::Parameter. */
export function putParameter(ctx: SsmContext, input: PutParameterInput) {
  const name = validateName(nameOf(ctx, input.Name, 'PutParameter'));
  if (typeof input.Value !== 'string') {
    throw invalid(
      "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null",
    );
  }
  if (input.Value.length === 0) {
    throw invalid(
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const params = ctx.regionState.ssm.parameters;
  const existing = params[name];
  if (existing && !input.Overwrite) {
    throw new AwsError(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  }
  if (existing && input.Overwrite && input.Tags && input.Tags.length > 0) {
    throw invalid(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  const type = input.Type ?? existing?.Type;
  if (!type) {
    throw invalid('A parameter type is required when you create a parameter.');
  }
  if (!TYPES.has(type)) {
    throw invalid(
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  }
  if (input.KeyId && type !== 'SecureString') {
    throw invalid('KeyId is required for SecureString type parameter only.');
  }
  let tier = input.Tier ?? existing?.Tier ?? 'Standard';
  if (!TIERS.has(tier)) {
    throw invalid(
      `1 validation error detected: Value '${tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]`,
    );
  }
  if (tier === 'Intelligent-Tiering') {
    tier = input.Value.length > 4096 ? 'Advanced' : 'Standard';
  }
  if (existing?.Tier === 'Advanced' && tier === 'Standard') {
    throw invalid(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  const maxLen = tier === 'Advanced' ? 8192 : 4096;
  if (input.Value.length > maxLen) {
    throw invalid(
      tier === 'Advanced'
        ? 'Advanced tier parameters support a maximum parameter value of 8192 characters.'
        : 'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  }
  const dataType = input.DataType ?? existing?.DataType ?? 'text';
  if (!['text', 'aws:ec2:image', 'aws:ssm:integration'].includes(dataType)) {
    throw invalid(
      `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
    );
  }
  const pattern = input.AllowedPattern ?? existing?.AllowedPattern;
  if (pattern) {
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch {
      throw invalid(`Invalid AllowedPattern: ${pattern}`);
    }
    if (!re.test(input.Value)) {
      throw new AwsError(
        'ParameterPatternMismatchException',
        `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
      );
    }
  }
  const version: SsmParameterVersion = {
    Name: name,
    Type: type as SsmParameterVersion['Type'],
    Value: input.Value,
    Version: (existing?.Version ?? 0) + 1,
    LastModifiedDate: ctx.now,
    LastModifiedUser: ctx.caller.arn,
    Description: input.Description ?? existing?.Description,
    KeyId:
      type === 'SecureString'
        ? input.KeyId ?? existing?.KeyId ?? 'alias/aws/ssm'
        : undefined,
    AllowedPattern: pattern,
    Tier: tier,
    DataType: dataType,
    Labels: [],
  };
  let history: SsmParameterVersion[] = [];
  if (existing) {
    const { history: previous, Tags: _tags, ...current } = existing;
    history = [...previous, current];
  }
  // AWS keeps the last 100 versions.
  while (history.length > 99) history.shift();
  params[name] = {
    ...version,
    history,
    Tags: existing?.Tags ?? input.Tags ?? [],
  };
  return { Version: version.Version, Tier: tier };
}

export function deleteParameter(ctx: SsmContext, rawName: string) {
  const name = nameOf(ctx, rawName, 'DeleteParameter');
  if (!ctx.regionState.ssm.parameters[name]) throw notFound(name);
  delete ctx.regionState.ssm.parameters[name];
}

export const ssm: ServiceDefinition = {
  name: 'ssm',
  signingName: 'ssm',
  protocol: 'json1.1',
  targetPrefix: 'AmazonSSM',
  operations: {
    PutParameter: (input: PutParameterInput, ctx) => putParameter(ctx, input),

    GetParameter: (input, ctx) => {
      if (!input.Name) validateName(input.Name);
      const found = select(ctx, String(input.Name), 'GetParameter');
      if (!found) throw notFound(String(input.Name));
      return {
        Parameter: outputParameter(
          ctx,
          found.param,
          input.WithDecryption === true,
          found.selector,
        ),
      };
    },

    GetParameters: (input, ctx) => {
      const names: unknown = input.Names;
      if (!Array.isArray(names) || names.length === 0) {
        throw invalid(
          "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null",
        );
      }
      if (names.length > 10) {
        throw invalid(
          `1 validation error detected: Value '[${names.join(
            ', ',
          )}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
        );
      }
      const Parameters = [];
      const InvalidParameters = [];
      for (const n of names) {
        const found =
          typeof n === 'string' ? select(ctx, n, 'GetParameters') : undefined;
        if (found) {
          Parameters.push(
            outputParameter(
              ctx,
              found.param,
              input.WithDecryption === true,
              found.selector,
            ),
          );
        } else InvalidParameters.push(String(n));
      }
      return { Parameters, InvalidParameters };
    },

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

    GetParameterHistory: (input, ctx) => {
      const name = nameOf(ctx, String(input.Name ?? ''), 'GetParameterHistory');
      const p = ctx.regionState.ssm.parameters[name];
      if (!p) throw notFound(name);
      checkMax(input.MaxResults, 'maxResults', 50);
      const versions = [...p.history, p];
      const { page, nextToken } = paginate(versions, {
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
        defaultSize: 50,
        maxSize: 50,
        fingerprint: name,
      });
      return {
        Parameters: page.map(v => ({
          ...outputParameter(ctx, v, input.WithDecryption === true),
          ARN: undefined,
          KeyId: v.KeyId,
          LastModifiedUser: v.LastModifiedUser,
          Description: v.Description,
          AllowedPattern: v.AllowedPattern,
          Labels: v.Labels,
          Tier: v.Tier,
          Policies: [],
        })),
        NextToken: nextToken,
      };
    },

    DeleteParameter: (input, ctx) => {
      deleteParameter(ctx, String(input.Name ?? ''));
      return {};
    },

    DeleteParameters: (input, ctx) => {
      const names: unknown = input.Names;
      if (!Array.isArray(names) || names.length === 0 || names.length > 10) {
        throw invalid(
          "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and 10",
        );
      }
      const DeletedParameters: string[] = [];
      const InvalidParameters: string[] = [];
      for (const n of names) {
        const name = nameOf(ctx, String(n), 'DeleteParameters');
        if (ctx.regionState.ssm.parameters[name]) {
          delete ctx.regionState.ssm.parameters[name];
          DeletedParameters.push(String(n));
        } else InvalidParameters.push(String(n));
      }
      return { DeletedParameters, InvalidParameters };
    },

    ListTagsForResource: (input, ctx) => {
      if (input.ResourceType !== 'Parameter') {
        throw new AwsError(
          'InvalidResourceType',
          'The resource type is not valid.',
        );
      }
      const p =
        ctx.regionState.ssm.parameters[
          nameOf(ctx, String(input.ResourceId), 'ListTagsForResource')
        ];
      if (!p) {
        throw new AwsError(
          'InvalidResourceId',
          'The resource ID is not valid.',
        );
      }
      return { TagList: p.Tags };
    },
  },
};
