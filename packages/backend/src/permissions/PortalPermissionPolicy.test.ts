import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  awsEnvironmentsDestroyPermission,
  awsEnvironmentsPromotionCreatePermission,
} from '@envplane/plugin-aws-environments-common';
import {
  PLATFORM_TEAM,
  PortalPermissionPolicy,
} from './PortalPermissionPolicy';

function user(ref: string, groups: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...groups],
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    token: 'token',
    credentials: {} as PolicyQueryUser['credentials'],
  } as PolicyQueryUser;
}

// Any other plugin's permission, e.g. the catalog's.
const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy();
  const platform = user('user:default/guest', [PLATFORM_TEAM]);
  const developer = user('user:default/dev', ['group:default/devops-team']);

  it('lets only the platform team destroy protected environments', async () => {
    const destroy = { permission: awsEnvironmentsDestroyPermission };
    expect((await policy.handle(destroy, platform)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(destroy, developer)).result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await policy.handle(destroy)).result).toBe(AuthorizeResult.DENY);
  });

  it('allows everything else, as the local portal did', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      awsEnvironmentsPromotionCreatePermission,
    ]) {
      expect((await policy.handle({ permission }, developer)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });
});
