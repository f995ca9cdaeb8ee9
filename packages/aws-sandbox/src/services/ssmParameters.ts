/*
 * Parameters themselves: their names and ARNs, and putting, deleting and
 * tagging them.
 */
import { AwsError } from '../protocol/errors';
import type { Handler, ModelContext } from './types';
import type { SsmParameterVersion } from '../state';
import { isForeignArn } from '../arn';
import { invalid, notFound, validateName } from './ssmValidation';

const TYPES = new Set(['String', 'StringList', 'SecureString']);
const TIERS = new Set(['Standard', 'Advanced', 'Intelligent-Tiering']);

/** What the model functions need; CloudFormation passes its own context. */
export type SsmContext = ModelContext;

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
export function nameOf(ctx: SsmContext, raw: string, action: string): string {
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

export const parameterOperations: Record<string, Handler> = {
  PutParameter: (input: PutParameterInput, ctx) => putParameter(ctx, input),

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
      throw new AwsError('InvalidResourceId', 'The resource ID is not valid.');
    }
    return { TagList: p.Tags };
  },
};
