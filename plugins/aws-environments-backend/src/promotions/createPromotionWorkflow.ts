import {
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  awsEnvironmentsPromotionApprovePermission,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import {
  AwsClientFactory,
  PluginMetrics,
  PromotionDeployer,
} from '@envplane/plugin-aws-environments-node';
import { AlarmReader, CloudWatchAlarmReader } from './AlarmReader';
import { PromotionGateStore } from './PromotionGateStore';
import express from 'express';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionPath } from './PromotionPath';
import {
  PromotionProcessor,
  PromotionProcessorOptions,
} from './PromotionProcessor';
import { PromotionService } from './PromotionService';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionRequestStore } from './PromotionRequestStore';
import { PromotionSummaryQuery } from './PromotionSummaryQuery';
import { DeliveryMetricsQuery } from './DeliveryMetricsQuery';
import { RollbackTargetQuery } from './RollbackTargetQuery';
import { migratePromotionTables } from './promotionTables';
import { createPromotionsRouter } from './createPromotionsRouter';
import { readBoundedInteger } from '../statusOptions';
import {
  promotionIdOf,
  promotionPermissionResourceRef,
  promotionPermissionRules,
} from './promotionPermissions';

/** The scheduler task that runs promotions; one id for all replicas. */
export const PROMOTIONS_TASK_ID = 'aws-environments-promotions';

export interface PromotionWorkflowOptions {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  catalog: CatalogService;
  /** Optional: without it (or without the notifications backend) nobody is notified. */
  notifications?: NotificationService;
  deployer: PromotionDeployer;
  stateReader: EnvironmentStateReader;
  /**
   * Reads the CloudWatch alarms verification gates name. Defaults to
   * DescribeAlarms with credentials from the `aws` config section.
   */
  alarms?: AlarmReader;
  /** The plugin's metrics service: deployment durations, AWS calls. */
  metrics?: PluginMetrics;
  /** Lease, windows and instance id; the defaults suit production. */
  processor?: Pick<
    PromotionProcessorOptions,
    | 'instanceId'
    | 'leaseMs'
    | 'autoPromotionWindowMs'
    | 'maxConcurrentDeployments'
    | 'now'
  >;
}

export interface PromotionWorkflow {
  /** Routes under `/promotions`, to mount on the plugin's router. */
  router: express.Router;
  service: PromotionService;
  processor: PromotionProcessor;
}

/**
 * Sets up promotions for the plugin: migrates the database, registers the
 * promotion resource type and its rules with the permission system,
 * schedules the background work and returns the HTTP routes. Call it from
 * the plugin's init, before the plugin starts.
 */
export async function createPromotionWorkflow(
  options: PromotionWorkflowOptions,
): Promise<PromotionWorkflow> {
  const { logger, catalog, auth, permissionsRegistry } = options;
  const environments = readAwsEnvironments(options.config);
  const path = new PromotionPath(environments);
  const db = await options.database.getClient();
  if (!options.database.migrations?.skip) {
    await migratePromotionTables(db);
  }
  const now = options.processor?.now;
  const requests = new PromotionRequestStore(db, now);
  const notifier = new PromotionNotifier({
    notifications: options.notifications,
    catalog,
    auth,
    logger,
  });

  // Lets the permission backend resolve conditional decisions such as
  // "approve only when the target is prod" against stored requests.
  permissionsRegistry.addResourceType({
    resourceRef: promotionPermissionResourceRef,
    permissions: [awsEnvironmentsPromotionApprovePermission],
    rules: Object.values(promotionPermissionRules),
    getResources: async resourceRefs => {
      const ids = resourceRefs.map(ref => promotionIdOf(ref));
      const found = await requests.getMany(
        ids.filter((id): id is string => Boolean(id)),
      );
      const byId = new Map(found.flatMap(p => (p ? [[p.id, p]] : [])));
      return ids.map(id => (id ? byId.get(id) : undefined));
    },
  });

  const service = new PromotionService({
    requests,
    summaries: new PromotionSummaryQuery(db),
    rollbacks: new RollbackTargetQuery(db),
    metrics: new DeliveryMetricsQuery(db),
    now,
    path,
    catalog,
    permissions: options.permissions,
    userInfo: options.userInfo,
    stateReader: options.stateReader,
    notifier,
    logger,
  });
  const processor = new PromotionProcessor({
    ...options.processor,
    leaseMs:
      options.processor?.leaseMs ??
      readBoundedInteger(
        options.config,
        'awsEnvironments.promotions.leaseSeconds',
        60,
        10,
        3600,
      ) * 1000,
    metrics: options.metrics,
    requests,
    leases: new PromotionLeaseStore(db, now),
    gates: new PromotionGateStore(db, now),
    alarms:
      options.alarms ??
      new CloudWatchAlarmReader({
        clients: AwsClientFactory.fromConfig(options.config, {
          metrics: options.metrics,
        }),
        environments,
      }),
    path,
    deployer: options.deployer,
    stateReader: options.stateReader,
    notifier,
    catalog,
    auth,
    logger,
  });

  // Global scope: one replica runs a pass at a time. Claims in the lease
  // store are what guarantee each deployment runs once, so a pass that
  // overlaps another (after a timeout) is still safe.
  await options.scheduler.scheduleTask({
    id: PROMOTIONS_TASK_ID,
    frequency: { seconds: 5 },
    timeout: { minutes: 30 },
    scope: 'global',
    fn: () => processor.tick(),
  });

  return {
    router: createPromotionsRouter({ httpAuth: options.httpAuth, service }),
    service,
    processor,
  };
}
