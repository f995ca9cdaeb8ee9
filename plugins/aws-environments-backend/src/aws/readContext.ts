import { CacheService } from '@backstage/backend-plugin-api';
import {
  AwsEnvironmentConfig,
  EnvironmentResourceNames,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { TimeBudget } from '../service/TimeBudget';
import { StatusOptions } from '../statusOptions';
import { AwsClients, awsClients } from './awsClients';
import { RangeWindow, rangeWindow } from './ranges';

/** Everything a source reader needs to read one environment. */
export interface ReadContext {
  clients: AwsClients;
  environment: AwsEnvironmentConfig;
  names: EnvironmentResourceNames;
  window: RangeWindow;
  options: StatusOptions;
  /** Aborted when the environment's time budget runs out. */
  abortSignal: AbortSignal;
  /** For immutable or slow-changing lookups (task definitions, load balancers). */
  cache: CacheService;
}

/**
 * The context of one read of one environment, its clients made within the
 * read's time budget. Throws when no credentials can be had for the account.
 */
export async function createReadContext(
  deps: {
    clients: AwsClientFactory;
    cache: CacheService;
    options: StatusOptions;
  },
  request: {
    environment: AwsEnvironmentConfig;
    names: EnvironmentResourceNames;
    range: StatusRange;
    now: Date;
    budget: TimeBudget;
  },
): Promise<ReadContext> {
  const { environment, budget } = request;
  return {
    clients: await budget.within(awsClients(deps.clients, environment)),
    environment,
    names: request.names,
    window: rangeWindow(request.range, request.now),
    options: deps.options,
    abortSignal: budget.signal,
    cache: deps.cache,
  };
}
