import {
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AwsClientFactory,
  PluginMetrics,
} from '@envplane/plugin-aws-environments-node';
import { migratePromotionTables } from '../promotions/promotionTables';
import { AwsEnvironmentsService } from '../service/AwsEnvironmentsService';
import { createDriftRouter } from './createDriftRouter';
import { discoverProjectEnvironments } from '../service/discoverProjectEnvironments';
import { DriftChecker } from './DriftChecker';
import { readDriftOptions } from './driftOptions';
import { DriftStore } from './DriftStore';

export const DRIFT_TASK_ID = 'aws-environments-drift';

/**
 * Drift detection of every environment's stack: the results in the
 * plugin's database, a scheduled check of all of them (one replica at a
 * time) and the router for reading results and checking on demand.
 */
export async function createDriftChecks(options: {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  service: AwsEnvironmentsService;
  /** Counts the checks' AWS calls with the status reads'. */
  metrics?: PluginMetrics;
}) {
  const driftOptions = readDriftOptions(options.config);
  const db = await options.database.getClient();
  // The drift table's migration lives with the promotion tables'.
  await migratePromotionTables(db);
  const configured = () => options.service.listEnvironments().map(e => e.name);
  const checker = new DriftChecker({
    store: new DriftStore(db),
    clients: AwsClientFactory.fromConfig(options.config, {
      metrics: options.metrics,
    }),
    environments: () => options.service.listEnvironments(),
    logger: options.logger,
    options: driftOptions,
  });
  await options.scheduler.scheduleTask({
    id: DRIFT_TASK_ID,
    frequency: { hours: driftOptions.intervalHours },
    // Not at once: every replica restart would otherwise be a full sweep
    // of CloudFormation calls.
    initialDelay: { minutes: 10 },
    timeout: { hours: Math.min(driftOptions.intervalHours, 6) },
    scope: 'global',
    fn: async () => {
      const keys = await discoverProjectEnvironments(
        options.catalog,
        await options.auth.getOwnServiceCredentials(),
        configured(),
      );
      const checked = await checker.checkAll(keys);
      options.logger.info(
        `Scheduled drift check: ${checked} of ${keys.length} environments checked (the others were checked within the last ${checker.minIntervalMinutes} minutes)`,
      );
    },
  });
  return {
    checker,
    router: createDriftRouter({
      httpAuth: options.httpAuth,
      catalog: options.catalog,
      permissions: options.permissions,
      checker,
      configured,
    }),
  };
}
