/*
 * Reading parameters: GetParameter and GetParameters, whose names may select
 * a version ("name:3") or a label ("name:label"), and GetParameterHistory.
 */
import { createHmac } from 'node:crypto';
import { AwsError } from '../protocol/errors';
import type { Handler, RequestContext } from './types';
import type { SsmParameterVersion } from '../state';
import { paginate } from './paging';
import { checkMax, invalid, notFound, validateName } from './ssmValidation';
import { nameOf, parameterArn } from './ssmParameters';

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

export function outputParameter(
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

export const versionOperations: Record<string, Handler> = {
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
};
