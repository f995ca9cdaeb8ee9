import {
  CacheService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import {
  AwsClientFactory,
  PluginMetrics,
} from '@envplane/plugin-aws-environments-node';
import { PriceReader } from '../aws/readPrices';
import { CostEstimator } from './CostEstimator';
import { createCostRouter } from './createCostRouter';

/**
 * The cost estimate's routes with their price reader (prices cached for a
 * day in the plugin's cache) and AWS clients.
 */
export async function createCostRoutes(deps: {
  config: RootConfigService;
  logger: LoggerService;
  cache: CacheService;
  catalog: CatalogService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  metrics?: PluginMetrics;
}) {
  const clients = AwsClientFactory.fromConfig(deps.config, {
    metrics: deps.metrics,
  });
  const estimator = new CostEstimator({
    environments: readAwsEnvironments(deps.config),
    prices: new PriceReader({
      clients,
      cache: deps.cache,
      logger: deps.logger,
    }),
    clients,
    catalog: deps.catalog,
    permissions: deps.permissions,
    logger: deps.logger,
  });
  return createCostRouter({ httpAuth: deps.httpAuth, estimator });
}
