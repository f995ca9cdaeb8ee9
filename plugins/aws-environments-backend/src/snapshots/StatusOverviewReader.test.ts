import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createTestService,
  resetAwsMocks,
  seedEnvironment,
} from '../__testUtils__/awsFixtures';
import { testEntities } from '../__testUtils__/entities';
import { createTestDatabases } from '../promotions/__testUtils__/promotionFixtures';
import { migratePromotionTables } from '../promotions/promotionTables';
import { StatusOverviewReader } from './StatusOverviewReader';
import { StatusSnapshotStore } from './StatusSnapshotStore';

jest.setTimeout(60_000);

describe('StatusOverviewReader', () => {
  const databases = createTestDatabases();
  const [[databaseId]] = databases.eachSupportedId();

  beforeEach(() => {
    resetAwsMocks();
    seedEnvironment({ environment: 'test' });
    seedEnvironment({ environment: 'qa' });
  });

  it('shows each environment’s last drift check beside its summary', async () => {
    const knex = await databases.init(databaseId);
    await migratePromotionTables(knex);
    const driftOf = jest.fn(
      async () =>
        new Map([
          [
            'shop|qa',
            {
              status: 'drifted' as const,
              driftedResourceCount: 2,
              checkedAt: '2026-12-01T08:30:00.000Z',
            },
          ],
        ]),
    );
    const reader = new StatusOverviewReader({
      catalog: catalogServiceMock({ entities: testEntities }),
      permissions: mockServices.permissions(),
      service: createTestService().service,
      store: new StatusSnapshotStore(knex),
      options: {
        callsPerSecond: 5,
        hotIntervalMs: 60_000,
        coldIntervalMs: 900_000,
        hotForMs: 900_000,
      },
      driftOf,
    });
    const row = await reader.entity(
      'component:default/shop',
      mockCredentials.user(),
    );
    expect(row.environments.map(e => [e.name, e.drift])).toEqual([
      ['test', undefined],
      [
        'qa',
        {
          status: 'drifted',
          driftedResourceCount: 2,
          checkedAt: '2026-12-01T08:30:00.000Z',
        },
      ],
    ]);
    expect(driftOf).toHaveBeenCalledWith([
      { project: 'shop', environment: 'test' },
      { project: 'shop', environment: 'qa' },
    ]);
  });
});
