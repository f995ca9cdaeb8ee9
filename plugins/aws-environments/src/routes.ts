import { createRouteRef } from '@backstage/core-plugin-api';

/** The Environments tab on an entity page. */
export const rootRouteRef = createRouteRef({ id: 'aws-environments' });

/** The environment status page, `/aws-environments` by default. */
export const statusPageRouteRef = createRouteRef({
  id: 'aws-environments:status-page',
});
