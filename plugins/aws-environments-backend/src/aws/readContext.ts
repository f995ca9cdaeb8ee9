import { CacheService } from '@backstage/backend-plugin-api';
import {
  AwsEnvironmentConfig,
  EnvironmentResourceNames,
} from '@envplane/plugin-aws-environments-common';
import { StatusOptions } from '../statusOptions';
import { AwsClients } from './awsClients';
import { RangeWindow } from './ranges';

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
