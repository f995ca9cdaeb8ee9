/*
 * AWS::Logs::LogGroup as a live log group the Logs API describes.
 */
import { AwsError } from '../protocol/errors';
import { createLogGroup, logGroupArn } from '../services/logsGroups';
import { generatedName } from './provider';
import type { Provider } from './provider';
import { optionalNumber } from './resourceHelpers';

export const logsProviders: Record<string, Provider> = {
  'AWS::Logs::LogGroup': {
    create: (p, ctx) => {
      const name = p.LogGroupName ?? generatedName(ctx, 512);
      try {
        createLogGroup(ctx.regionState, name, ctx.now, {
          retentionInDays: optionalNumber(p.RetentionInDays),
          kmsKeyId: p.KmsKeyId,
          logGroupClass: p.LogGroupClass,
          tags: Object.fromEntries(
            (p.Tags ?? []).map((t: any) => [t.Key, t.Value]),
          ),
        });
      } catch (e) {
        if (
          e instanceof AwsError &&
          e.code === 'ResourceAlreadyExistsException'
        ) {
          throw new AwsError(
            e.code,
            `Resource of type 'AWS::Logs::LogGroup' with identifier '${name}' already exists.`,
          );
        }
        throw e;
      }
      return {
        physicalId: name,
        attributes: {
          Arn: `${logGroupArn(ctx.region, ctx.caller.account, name)}:*`,
        },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const g = ctx.regionState.logs.groups[physicalId];
      if (g) g.retentionInDays = optionalNumber(p.RetentionInDays);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      delete ctx.regionState.logs.groups[physicalId];
    },
    replaceOn: ['LogGroupName', 'LogGroupClass'],
  },
};
