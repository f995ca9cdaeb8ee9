import { TestDatabaseId } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  ALICE,
  BOB,
  HIDDEN,
  SHOP,
  createHarness,
  createTestDatabases,
  runPass,
  userCredentials,
} from '../promotions/__testUtils__/promotionFixtures';
import { createGetDeliveryMetricsAction } from './createGetDeliveryMetricsAction';

jest.setTimeout(60_000);

// The mock registry registers actions under the plugin id `test`.
const ID = 'test:get-delivery-metrics';

describe('get-delivery-metrics', () => {
  const databases = createTestDatabases();

  it('answers from the promotion history, to whoever can see the entity', async () => {
    const [[databaseId]] = databases.eachSupportedId();
    const knex = await databases.init(databaseId as TestDatabaseId);
    const h = await createHarness({ knex });
    h.state.set('test', 'shop:1.0.0');
    h.state.set('qa', 'shop:0.9.0');
    const { id } = await h.service.create(
      { entityRef: SHOP, from: 'test', to: 'qa' },
      userCredentials(ALICE),
    );
    await h.service.approve(id, undefined, userCredentials(BOB));
    await runPass(h.processor);

    const actionsRegistry = actionsRegistryServiceMock();
    createGetDeliveryMetricsAction({ actionsRegistry, promotions: h.service });
    const { output } = await actionsRegistry.invoke({
      id: ID,
      input: { entityRef: SHOP, days: 7 },
      credentials: userCredentials(BOB),
    });
    expect(output).toMatchObject({
      project: 'shop',
      days: 7,
      environments: expect.arrayContaining([
        {
          environment: 'qa',
          deployments: 1,
          deploymentsPerWeek: 1,
          changeFailureRate: 0,
        },
      ]),
      imagesDelivered: 0,
    });

    await expect(
      actionsRegistry.invoke({
        id: ID,
        input: { entityRef: HIDDEN },
        credentials: userCredentials(BOB),
      }),
    ).rejects.toThrow(/not found/);
  });
});
