import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { awsEnvironmentsDestroyPermission } from '@envplane/plugin-aws-environments-common';

/** The team that runs the portal, and alone may tear prod down. */
export const PLATFORM_TEAM = 'group:default/platform-team';

/**
 * The reference portal's policy: everything is allowed, as in a local
 * portal, except destroying a protected environment (prod), which only the
 * platform team may do. Approval into prod is limited by the environment's
 * `approvers` in app-config.yaml instead, which the promotions backend
 * enforces on top of any policy. A production portal writes its own policy
 * (README, "Running against real AWS").
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, awsEnvironmentsDestroyPermission)) {
      const member = user?.info.ownershipEntityRefs.includes(PLATFORM_TEAM);
      return { result: member ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const portalPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new PortalPermissionPolicy());
      },
    });
  },
});
