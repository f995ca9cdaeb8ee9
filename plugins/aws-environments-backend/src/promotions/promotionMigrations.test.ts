import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from './__testUtils__/promotionFixtures';
import { migratePromotionTables } from './promotionTables';

jest.setTimeout(60_000);

const directory = resolvePackagePath(
  '@envplane/plugin-aws-environments-backend',
  'migrations',
);

function row(id: string, entityRef: string, createdAt: string, open = true) {
  const at = new Date(createdAt);
  return {
    id,
    entity_ref: entityRef,
    project: 'shop',
    from_env: 'test',
    to_env: 'qa',
    image: 'shop:1',
    status: open ? 'pending_review' : 'succeeded',
    trigger: 'manual',
    requested_by: 'user:default/alice',
    review_required: true,
    open_key: open ? `${entityRef}|qa` : null,
    created_at: at,
    updated_at: at,
  };
}

describe('promotion migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'keys open requests per project, oldest first, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.up({ directory, name: '20261125_init.js' });
      // Before: one open request per entity, so a project's component and
      // its system could both hold one into qa.
      await knex('promotions').insert([
        row('b', 'system:default/shop', '2026-01-02T00:00:00Z'),
        row('a', 'component:default/shop', '2026-01-01T00:00:00Z'),
        row('c', 'component:default/shop', '2025-12-01T00:00:00Z', false),
      ]);

      await migratePromotionTables(knex);

      const keys = await knex('promotions')
        .orderBy('id')
        .select('id', 'open_key');
      expect(keys).toEqual([
        { id: 'a', open_key: 'project:shop|qa' },
        // Still open, still decidable; it just does not hold the project key.
        { id: 'b', open_key: 'system:default/shop|qa' },
        { id: 'c', open_key: null },
      ]);
    },
  );
});
