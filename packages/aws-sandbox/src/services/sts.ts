/*
 * STS (awsQuery, 2011-06-15): GetCallerIdentity and AssumeRole. Assumed-role
 * credentials are remembered so later calls signed with them act in the
 * role's account with the assumed-role identity, as AWS does.
 */
import { AwsError } from '../protocol/errors';
import { queryInt } from '../protocol/awsQuery';
import { ROLE_ARN } from '../roles';
import { mintTemporaryCredentials, roleUniqueId } from './stsCredentials';
import type { ServiceDefinition } from './types';

export const sts: ServiceDefinition = {
  name: 'sts',
  signingName: 'sts',
  protocol: 'query',
  version: '2011-06-15',
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  operations: {
    GetCallerIdentity: (_input, ctx) => ({
      UserId: ctx.caller.userId,
      Account: ctx.caller.account,
      Arn: ctx.caller.arn,
    }),

    AssumeRole: (input, ctx) => {
      const roleArn = input.RoleArn;
      const sessionName = input.RoleSessionName;
      if (!roleArn || !sessionName) {
        throw new AwsError(
          'ValidationError',
          `1 validation error detected: Value null at '${
            roleArn ? 'roleSessionName' : 'roleArn'
          }' failed to satisfy constraint: Member must not be null`,
        );
      }
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
        throw new AwsError(
          'ValidationError',
          `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
        );
      }
      const m = ROLE_ARN.exec(roleArn);
      if (!m) {
        throw new AwsError('ValidationError', `${roleArn} is invalid`);
      }
      const duration =
        queryInt(input.DurationSeconds, 'DurationSeconds') ?? 3600;
      if (duration < 900 || duration > 43200) {
        throw new AwsError(
          'ValidationError',
          `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${
            duration < 900
              ? 'greater than or equal to 900'
              : 'less than or equal to 43200'
          }`,
        );
      }
      // AWS answers a role that does not exist or does not trust the caller
      // alike, with 403 AccessDenied, so the message gives neither away.
      if (!ctx.sandbox.roles.allows(roleArn)) {
        throw new AwsError(
          'AccessDenied',
          `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          403,
        );
      }
      const [, account, roleName] = m;
      const credentials = mintTemporaryCredentials();
      const { accessKeyId } = credentials;
      const roleId = roleUniqueId(roleArn);
      const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
      const expiration = ctx.now + duration * 1000;
      ctx.sandbox.state.sts.sessions[accessKeyId] = {
        accessKeyId,
        account,
        arn,
        userId: `${roleId}:${sessionName}`,
        expiration,
      };
      // Drop expired sessions so the state does not grow without bound.
      for (const [k, s] of Object.entries(ctx.sandbox.state.sts.sessions)) {
        if (s.expiration < ctx.now) delete ctx.sandbox.state.sts.sessions[k];
      }
      return {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          SessionToken: credentials.sessionToken,
          Expiration: new Date(expiration),
        },
        AssumedRoleUser: {
          AssumedRoleId: `${roleId}:${sessionName}`,
          Arn: arn,
        },
        PackedPolicySize: input.Policy ? 6 : undefined,
        SourceIdentity: input.SourceIdentity,
      };
    },

    GetSessionToken: (input, ctx) => {
      const duration =
        queryInt(input.DurationSeconds, 'DurationSeconds') ?? 43200;
      const credentials = mintTemporaryCredentials();
      const { accessKeyId } = credentials;
      const expiration = ctx.now + duration * 1000;
      ctx.sandbox.state.sts.sessions[accessKeyId] = {
        accessKeyId,
        account: ctx.caller.account,
        arn: ctx.caller.arn,
        userId: ctx.caller.userId,
        expiration,
      };
      return {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          SessionToken: credentials.sessionToken,
          Expiration: new Date(expiration),
        },
      };
    },
  },
};
