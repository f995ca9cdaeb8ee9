import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { PromotionLeaseStore } from '../PromotionLeaseStore';
import { NewPromotion, PromotionRequestStore } from '../PromotionRequestStore';
import { migratePromotionTables } from '../promotionTables';
import {
  ALICE,
  SHOP,
  createTestDatabases,
  emptyAllTables,
} from './promotionFixtures';

/** A clock the store tests move by hand. */
export class ManualClock {
  private current = new Date('2026-01-01T00:00:00.000Z');

  readonly now = () => new Date(this.current);

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A request of shop from test to qa; `overrides` change any part. */
export function newPromotion(
  overrides: Partial<NewPromotion> = {},
): NewPromotion {
  return {
    entityRef: SHOP,
    project: 'shop',
    from: 'test',
    to: 'qa',
    image: 'shop:1.0.0',
    trigger: 'manual',
    requestedBy: ALICE,
    reviewRequired: false,
    ...overrides,
  };
}

/**
 * The stores over a migrated, empty database of each kind (SQLite and
 * PostgreSQL), sharing one manual clock. Each kind's database is created
 * once per test file and emptied on every later `init` (a CREATE DATABASE
 * per test costs about a second on PostgreSQL): call it once per test.
 */
export function eachStoreDatabase() {
  const databases = createTestDatabases();
  const created = new Map<string, Knex>();
  return {
    ids: databases.eachSupportedId(),
    async init(databaseId: TestDatabaseId | string) {
      let knex = created.get(databaseId);
      if (knex) {
        await emptyAllTables(knex);
      } else {
        knex = await databases.init(databaseId as TestDatabaseId);
        await migratePromotionTables(knex);
        created.set(databaseId, knex);
      }
      const clock = new ManualClock();
      return {
        knex,
        clock,
        requests: new PromotionRequestStore(knex, clock.now),
        leases: new PromotionLeaseStore(knex, clock.now),
      };
    },
  };
}
