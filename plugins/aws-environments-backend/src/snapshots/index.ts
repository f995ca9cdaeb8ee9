import {
  AuthService,
  DatabaseService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EnvironmentStatus } from '@envplane/plugin-aws-environments-common';
import { DriftStore } from '../drift/DriftStore';
import { migratePromotionTables } from '../promotions/promotionTables';
import { AwsEnvironmentsService } from '../service/AwsEnvironmentsService';
import { CallBudget } from './CallBudget';
import { recordStatuses } from './recordStatuses';
import { SnapshotRefresher } from './SnapshotRefresher';
import { readSnapshotOptions } from './snapshotOptions';
import { StatusOverviewReader } from './StatusOverviewReader';
import { StatusSnapshotStore, snapshotId } from './StatusSnapshotStore';

export const SNAPSHOT_TASK_ID = 'aws-environments-status-snapshots';

/**
 * The status snapshots: their store in the plugin's database, the
 * refresher the scheduler runs on one replica at a time, the overview
 * reader the router serves, and `record` for statuses read elsewhere.
 */
export async function createStatusSnapshots(options: {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  auth: AuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  service: AwsEnvironmentsService;
}) {
  const snapshotOptions = readSnapshotOptions(options.config);
  const db = await options.database.getClient();
  // The snapshot table's migration lives with the promotion tables'.
  await migratePromotionTables(db);
  const store = new StatusSnapshotStore(db);
  // The overview shows each environment's last drift check beside it.
  const drift = new DriftStore(db);
  // One bucket per account and region for the refresher and the first
  // reads of a page, on this replica.
  const budget = new CallBudget(snapshotOptions.callsPerSecond);
  const refresher = new SnapshotRefresher({
    store,
    service: options.service,
    catalog: options.catalog,
    auth: options.auth,
    logger: options.logger,
    options: snapshotOptions,
    budget,
  });
  await options.scheduler.scheduleTask({
    id: SNAPSHOT_TASK_ID,
    frequency: { seconds: 5 },
    timeout: { minutes: 2 },
    scope: 'global',
    fn: async () => {
      await refresher.tick();
    },
  });
  // The last read of each snapshot this replica stored, so the status
  // cache's answers are not stored again.
  const recorded = new Map<string, string>();
  return {
    store,
    refresher,
    reader: new StatusOverviewReader({
      catalog: options.catalog,
      permissions: options.permissions,
      service: options.service,
      store,
      options: snapshotOptions,
      budget,
      driftOf: async keys => {
        const stored = await drift.read(keys);
        return new Map(
          [...stored.values()].map(d => [
            snapshotId(d),
            {
              status: d.status ?? 'not_checked',
              driftedResourceCount: d.driftedResourceCount,
              checkedAt: d.checkedAt?.toISOString(),
            },
          ]),
        );
      },
    }),
    record: async (project: string, statuses: EnvironmentStatus[]) => {
      try {
        await recordStatuses(
          store,
          snapshotOptions,
          project,
          statuses,
          new Date(),
          recorded,
        );
      } catch (error) {
        // The page still gets its status; the overview catches up later.
        options.logger.warn(
          `Recording status snapshots of ${project} failed: ${
            (error as Error).message
          }`,
        );
      }
    },
  };
}
