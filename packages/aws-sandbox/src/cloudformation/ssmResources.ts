/*
 * AWS::SSM::Parameter as a live parameter (String, StringList) the SSM API
 * returns.
 */
import { AwsError } from '../protocol/errors';
import { deleteParameter, putParameter } from '../services/ssmParameters';
import type { Provider } from './provider';

export const ssmProviders: Record<string, Provider> = {
  'AWS::SSM::Parameter': {
    create: (p, ctx) => {
      if (p.Type === 'SecureString') {
        throw new AwsError(
          'ValidationException',
          'SecureString is not supported for AWS::SSM::Parameter. Use the SSM API to create SecureString parameters.',
        );
      }
      const name =
        p.Name ?? `CFN-${ctx.logicalId}-${ctx.sandbox.random.alnum(12)}`;
      if (ctx.regionState.ssm.parameters[name]) {
        throw new AwsError(
          'AlreadyExists',
          `${name} already exists in stack ${ctx.stackId}`,
        );
      }
      putParameter(ctx, {
        ...parameterInput(name, p),
        Tags: Object.entries(p.Tags ?? {}).map(([Key, Value]) => ({
          Key,
          Value: String(Value),
        })),
      });
      return {
        physicalId: name,
        attributes: parameterAttributes(p),
      };
    },
    update: (physicalId, p, _prev, ctx) => {
      putParameter(ctx, { ...parameterInput(physicalId, p), Overwrite: true });
      return {
        physicalId,
        attributes: parameterAttributes(p),
      };
    },
    delete: (physicalId, _p, _a, ctx) => {
      if (ctx.regionState.ssm.parameters[physicalId])
        deleteParameter(ctx, physicalId);
    },
    replaceOn: ['Name'],
  },
};

/** The PutParameter request of an AWS::SSM::Parameter's properties. */
function parameterInput(name: string, p: any) {
  return {
    Name: name,
    Value: String(p.Value ?? ''),
    Type: p.Type ?? 'String',
    Description: p.Description,
    AllowedPattern: p.AllowedPattern,
    Tier: p.Tier,
    DataType: p.DataType,
  };
}

/** The attributes of an AWS::SSM::Parameter. */
function parameterAttributes(p: any) {
  return { Type: p.Type ?? 'String', Value: String(p.Value ?? '') };
}
