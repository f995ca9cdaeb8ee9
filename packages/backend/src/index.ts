/*
 * The reference portal's backend: Backstage's own plugins plus this
 * repository's AWS environment plugins, on the new backend system.
 */
// First: plugins take their meters from the provider it sets up.
import './instrumentation';
import { createBackend } from '@backstage/backend-defaults';
import { portalPermissionPolicyModule } from './permissions/PortalPermissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Inert unless auth.providers.oauth2Proxy is configured: for portals behind
// oauth2-proxy, and for the browser tests' second user (scripts/test).
backend.add(
  import('@backstage/plugin-auth-backend-module-oauth2-proxy-provider'),
);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Projects provisioned from the wizard, found from their CloudFormation stacks.
backend.add(import('@envplane/plugin-catalog-backend-module-aws-environments'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// aws:environments:provision and aws:environments:destroy (AWS CDK).
backend.add(
  import('@envplane/plugin-scaffolder-backend-module-aws-environments'),
);

// ECS task health, SSM parameter metadata, CloudWatch metrics and logs of
// each service's environments.
backend.add(import('@envplane/plugin-aws-environments-backend'));

backend.add(import('@backstage/plugin-techdocs-backend'));

// Allows what a local portal allows, but only the platform team destroys
// prod; production portals write their own policy (README).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(portalPermissionPolicyModule);

// Search uses PostgreSQL's full-text engine when the database is PostgreSQL
// and falls back to the in-memory engine on SQLite.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
