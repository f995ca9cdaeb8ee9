/*
 * CloudWatch Logs' log groups: creating (also for CloudFormation and the ECS
 * simulator), deleting, retention and DescribeLogGroups, and finding the
 * group a request names.
 */
import { AwsError } from '../protocol/errors';
import type { LogGroup, RegionState } from '../state';
import type { Handler, RequestContext } from './types';
import { paginate } from './paging';
import { isForeignArn } from '../arn';

export const notFound = (what: string) =>
  new AwsError(
    'ResourceNotFoundException',
    `The specified ${what} does not exist.`,
  );
export const invalid = (m: string) =>
  new AwsError('InvalidParameterException', m);

/** The only retention periods CloudWatch Logs accepts (the model's enum). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
];

export function logGroupArn(region: string, account: string, name: string) {
  return `arn:aws:logs:${region}:${account}:log-group:${name}`;
}

export function createLogGroup(
  r: RegionState,
  name: string,
  now: number,
  options: {
    retentionInDays?: number;
    kmsKeyId?: string;
    tags?: Record<string, string>;
    logGroupClass?: string;
  } = {},
): LogGroup {
  if (!/^[\w\-_/.#]{1,512}$/.test(name)) {
    throw invalid(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  }
  if (r.logs.groups[name]) {
    throw new AwsError(
      'ResourceAlreadyExistsException',
      'The specified log group already exists',
    );
  }
  const group: LogGroup = {
    logGroupName: name,
    creationTime: now,
    retentionInDays: options.retentionInDays,
    kmsKeyId: options.kmsKeyId,
    logGroupClass: options.logGroupClass ?? 'STANDARD',
    tags: options.tags ?? {},
    streams: {},
  };
  r.logs.groups[name] = group;
  return group;
}

export function findGroup(ctx: RequestContext, input: any): LogGroup {
  let name = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof name !== 'string' || !name) {
    throw invalid('Should provide either logGroupName or logGroupIdentifier.');
  }
  // Another account's group is readable only through a cross-account
  // observability link, which the sandbox does not have: as on AWS without
  // one, the group is not there for this caller.
  if (isForeignArn(name, ctx.caller.account)) throw notFound('log group');
  const arn = /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)/.exec(name);
  if (arn) name = arn[1];
  const g = ctx.regionState.logs.groups[name];
  if (!g) throw notFound('log group');
  return g;
}

export const groupOperations: Record<string, Handler> = {
  CreateLogGroup: (input, ctx) => {
    createLogGroup(ctx.regionState, String(input.logGroupName ?? ''), ctx.now, {
      kmsKeyId: input.kmsKeyId,
      tags: input.tags,
      logGroupClass: input.logGroupClass,
    });
    return {};
  },

  DeleteLogGroup: (input, ctx) => {
    const g = findGroup(ctx, input);
    delete ctx.regionState.logs.groups[g.logGroupName];
    return {};
  },

  PutRetentionPolicy: (input, ctx) => {
    // Input validation comes before the log group lookup, as on AWS.
    const days = input.retentionInDays;
    if (days === undefined || days === null) {
      throw invalid(
        "1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null",
      );
    }
    if (!RETENTION_DAYS.includes(days)) {
      throw invalid(
        `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(
          ', ',
        )}]`,
      );
    }
    const g = findGroup(ctx, input);
    g.retentionInDays = input.retentionInDays;
    return {};
  },

  DescribeLogGroups: (input, ctx) => {
    if (input.logGroupNamePrefix && input.logGroupNamePattern) {
      throw invalid(
        'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
      );
    }
    const groups = Object.values(ctx.regionState.logs.groups)
      .filter(
        g =>
          !input.logGroupNamePrefix ||
          g.logGroupName.startsWith(input.logGroupNamePrefix),
      )
      .filter(
        g =>
          !input.logGroupNamePattern ||
          g.logGroupName
            .toLowerCase()
            .includes(String(input.logGroupNamePattern).toLowerCase()),
      )
      .filter(
        g => !input.logGroupClass || g.logGroupClass === input.logGroupClass,
      )
      .sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : 1));
    const { page, nextToken } = paginate(groups, {
      maxResults: input.limit,
      nextToken: input.nextToken,
      defaultSize: 50,
      maxSize: 50,
      limitName: 'limit',
      tokenError: 'InvalidParameterException',
      limitError: 'InvalidParameterException',
      fingerprint: `${input.logGroupNamePrefix ?? ''}|${
        input.logGroupNamePattern ?? ''
      }|${input.logGroupClass ?? ''}`,
    });
    return {
      logGroups: page.map(g => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        retentionInDays: g.retentionInDays,
        metricFilterCount: 0,
        arn: `${logGroupArn(ctx.region, ctx.caller.account, g.logGroupName)}:*`,
        logGroupArn: logGroupArn(
          ctx.region,
          ctx.caller.account,
          g.logGroupName,
        ),
        storedBytes: Object.values(g.streams).reduce(
          (n, s) => n + s.storedBytes,
          0,
        ),
        kmsKeyId: g.kmsKeyId,
        logGroupClass: g.logGroupClass,
      })),
      nextToken,
    };
  },
};
