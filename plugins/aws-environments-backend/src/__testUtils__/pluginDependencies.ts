/*
 * What the plugin depends on besides its database, config, scheduler and
 * deploy path, faked the same way for every startTestBackend of the plugin.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { awsEnvironmentsServiceRef } from '../service/awsEnvironmentsServiceRef';
import { createTestService } from './awsFixtures';
import { testEntities } from './entities';

/**
 * The test entities in the catalog, notifications that go nowhere and the
 * status service on the mocked AWS SDK clients.
 */
export function fakePluginDependencies() {
  return [
    catalogServiceMock.factory({ entities: testEntities }),
    createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({ send: async () => {} }),
    }),
    createServiceFactory({
      service: awsEnvironmentsServiceRef,
      deps: {},
      factory: () => createTestService().service,
    }),
  ];
}
