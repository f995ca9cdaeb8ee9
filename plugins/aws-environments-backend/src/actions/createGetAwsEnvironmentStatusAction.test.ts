import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsStatusReadPermission,
} from '@envplane/plugin-aws-environments-common';
import {
  createTestService,
  resetAwsMocks,
  seedEnvironment,
} from '../__testUtils__/awsFixtures';
import { testEntities } from '../__testUtils__/entities';
import { EntityStatusReader } from '../service/EntityStatusReader';
import { createGetAwsEnvironmentStatusAction } from './createGetAwsEnvironmentStatusAction';

// The mock registry registers actions under the plugin id `test`.
const ID = 'test:get-aws-environment-status';

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
  const actionsRegistry = actionsRegistryServiceMock();
  createGetAwsEnvironmentStatusAction({
    actionsRegistry,
    reader: new EntityStatusReader({
      catalog: catalogServiceMock({ entities: testEntities }),
      permissions,
      service: createTestService().service,
    }),
  });
  return { actionsRegistry, permissions };
}

describe('get-aws-environment-status', () => {
  beforeEach(() => {
    resetAwsMocks();
    seedEnvironment({ environment: 'test' });
    seedEnvironment({
      environment: 'qa',
      running: 1,
      stopped: 4,
      crashing: true,
    });
  });

  it('returns health, findings and counts per environment', async () => {
    const { actionsRegistry, permissions } = setup();
    const credentials = mockCredentials.user('user:default/alice');
    const { output } = await actionsRegistry.invoke({
      id: ID,
      input: { entityRef: 'component:default/shop' },
      credentials,
    });
    expect(output).toEqual({
      entityRef: 'component:default/shop',
      environments: [
        {
          name: 'test',
          health: 'healthy',
          findings: [],
          counts: {
            desired: 2,
            running: 2,
            pending: 0,
            recentlyFailedTasks: 0,
          },
          errors: [],
        },
        {
          name: 'qa',
          health: 'unhealthy',
          findings: [
            expect.objectContaining({ id: 'crash-looping', severity: 'error' }),
          ],
          counts: {
            desired: 1,
            running: 1,
            pending: 0,
            recentlyFailedTasks: 4,
          },
          errors: [],
        },
      ],
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          permission: awsEnvironmentsStatusReadPermission,
          resourceRef: 'component:default/shop',
        }),
        expect.objectContaining({
          permission: awsEnvironmentsParametersReadPermission,
        }),
      ],
      { credentials },
    );
  });

  it("respects the caller's permissions", async () => {
    const { actionsRegistry } = setup(AuthorizeResult.DENY);
    await expect(
      actionsRegistry.invoke({
        id: ID,
        input: { entityRef: 'component:default/shop' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(/may not read the AWS environments/);
  });

  it('rejects entities it cannot find', async () => {
    const { actionsRegistry } = setup();
    await expect(
      actionsRegistry.invoke({
        id: ID,
        input: { entityRef: 'component:default/nope' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(/not found/);
  });
});
