import {
  isDeletePermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
  awsEnvironmentsDestroyPermission,
  awsEnvironmentsDriftCheckPermission,
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsPermissions,
  awsEnvironmentsPromotionApprovePermission,
  awsEnvironmentsStatusReadPermission,
} from './permissions';

describe('permissions', () => {
  it('checks status and parameter reads against catalog entities', () => {
    for (const permission of [
      awsEnvironmentsStatusReadPermission,
      awsEnvironmentsParametersReadPermission,
    ]) {
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
      expect(permission.attributes.action).toBe('read');
    }
    expect(awsEnvironmentsStatusReadPermission.name).toBe(
      'aws.environments.status.read',
    );
    expect(awsEnvironmentsParametersReadPermission.name).toBe(
      'aws.environments.parameters.read',
    );
  });

  it('scopes approvals to promotion requests', () => {
    expect(
      isResourcePermission(
        awsEnvironmentsPromotionApprovePermission,
        RESOURCE_TYPE_AWS_ENVIRONMENT_PROMOTION,
      ),
    ).toBe(true);
  });

  it('checks on-demand drift detection against catalog entities', () => {
    expect(awsEnvironmentsDriftCheckPermission.name).toBe(
      'aws.environments.drift.check',
    );
    expect(
      isResourcePermission(
        awsEnvironmentsDriftCheckPermission,
        'catalog-entity',
      ),
    ).toBe(true);
    expect(
      awsEnvironmentsDriftCheckPermission.attributes.action,
    ).toBeUndefined();
  });

  it('makes destroying a basic delete permission', () => {
    expect(awsEnvironmentsDestroyPermission.name).toBe(
      'aws.environments.destroy',
    );
    expect(awsEnvironmentsDestroyPermission.type).toBe('basic');
    // Policies that deny every delete (isDeletePermission) cover it too.
    expect(isDeletePermission(awsEnvironmentsDestroyPermission)).toBe(true);
  });

  it('lists every permission once', () => {
    const names = awsEnvironmentsPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(6);
    expect(names).toContain('aws.environments.drift.check');
    expect(names).toContain('aws.environments.destroy');
  });
});
