import {
  DescribeParametersCommand,
  ParameterMetadata as SsmParameterMetadata,
} from '@aws-sdk/client-ssm';
import { ParameterMetadata } from '@envplane/plugin-aws-environments-common';
import { ReadContext } from './readContext';

/** DescribeParameters returns at most 50 per page. */
const PAGE = 50;
/** An environment with more parameters than this is listed partially. */
const MAX_PAGES = 10;

/**
 * Copies the fields we show, one by one. Never spread the SDK object: it
 * carries a free-text Description (people paste values there) and whatever
 * fields AWS adds later.
 */
function metadata(p: SsmParameterMetadata): ParameterMetadata {
  return {
    name: p.Name ?? '',
    type: p.Type ?? 'String',
    version: p.Version,
    lastModifiedDate: p.LastModifiedDate?.toISOString(),
    lastModifiedUser: p.LastModifiedUser,
    tier: p.Tier,
    keyId: p.KeyId,
  };
}

/**
 * Metadata of the parameters under the environment's path. Only
 * DescribeParameters is called: never GetParameter(s), never decryption, so
 * no SecureString value ever reaches this process.
 */
export async function readParameters(
  ctx: ReadContext,
): Promise<ParameterMetadata[]> {
  // The Path filter takes the path without its trailing slash.
  const path = ctx.names.parameterPath.replace(/\/$/, '');
  const parameters: ParameterMetadata[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ctx.clients.ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [
          { Key: 'Path', Option: 'Recursive', Values: [path] },
        ],
        MaxResults: PAGE,
        NextToken: nextToken,
      }),
      { abortSignal: ctx.abortSignal },
    );
    parameters.push(...(page.Parameters ?? []).map(metadata));
    nextToken = page.NextToken;
    pages += 1;
  } while (nextToken && pages < MAX_PAGES);
  return parameters.sort((a, b) => a.name.localeCompare(b.name));
}
