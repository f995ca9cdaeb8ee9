/*
 * IAM resources: believable names, ARNs and ids for Fn::GetAtt; IAM itself
 * is not simulated.
 */
import { generatedName } from './provider';
import type { Provider } from './provider';
import { simple } from './resourceHelpers';

export const iamProviders: Record<string, Provider> = {
  'AWS::IAM::Role': simple(
    (p, ctx) => {
      const name = p.RoleName ?? generatedName(ctx, 64);
      const path = p.Path ?? '/';
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:iam::${ctx.caller.account}:role${path}${name}`,
          RoleId: `AROA${ctx.sandbox.random.alnum(17)}`,
        },
      };
    },
    ['RoleName', 'Path'],
  ),
  'AWS::IAM::Policy': simple((p, ctx) => ({
    physicalId: p.PolicyName
      ? `${ctx.stackName.slice(0, 5)}-${String(p.PolicyName).slice(
          0,
          4,
        )}-${ctx.sandbox.random.alnum(12)}`
      : generatedName(ctx, 64),
    attributes: { Id: ctx.sandbox.random.alnum(12) },
  })),
  'AWS::IAM::ManagedPolicy': simple(
    (p, ctx) => {
      const name = p.ManagedPolicyName ?? generatedName(ctx, 128);
      const arn = `arn:aws:iam::${ctx.caller.account}:policy${
        p.Path ?? '/'
      }${name}`;
      return {
        physicalId: arn,
        attributes: {
          PolicyArn: arn,
          PolicyId: `ANPA${ctx.sandbox.random.alnum(17)}`,
          AttachmentCount: 0,
          CreateDate: new Date(ctx.now).toISOString(),
          DefaultVersionId: 'v1',
          IsAttachable: true,
          PermissionsBoundaryUsageCount: 0,
          UpdateDate: new Date(ctx.now).toISOString(),
        },
      };
    },
    ['ManagedPolicyName', 'Path'],
  ),
  'AWS::IAM::InstanceProfile': simple(
    (p, ctx) => {
      const name = p.InstanceProfileName ?? generatedName(ctx, 128);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:iam::${ctx.caller.account}:instance-profile${
            p.Path ?? '/'
          }${name}`,
        },
      };
    },
    ['InstanceProfileName', 'Path'],
  ),
};
