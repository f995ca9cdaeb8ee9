/**
 * The shape of the backend's status API, shared with the frontend.
 *
 * Everything here is JSON-safe (dates are ISO strings) because responses are
 * cached as JSON in the cache service (memory or Redis) and sent as-is.
 */

/** Overall health of one environment, derived from its findings. */
export type EnvironmentHealth =
  | 'healthy'
  | 'degraded'
  | 'unhealthy'
  | 'unknown';

/** The AWS services one environment's status is read from. */
export type EnvironmentDataSource =
  | 'ecs'
  | 'ssm'
  | 'cloudwatch'
  | 'logs'
  | 'autoscaling';

/** Why a source could not be read, in terms a user can act on. */
export type EnvironmentErrorType =
  | 'NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'TIMEOUT'
  | 'UNKNOWN';

/**
 * A failure of one source in one environment. Like the Kubernetes plugin's
 * per-cluster errors, a failing source never hides the others' data.
 */
export interface EnvironmentError {
  type: EnvironmentErrorType;
  message: string;
  source: EnvironmentDataSource;
}

/** One finding of the health rules (see `health/`). */
export interface Finding {
  /** Stable rule id, e.g. `running-below-desired`. */
  id: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  message: string;
  source: EnvironmentDataSource;
}

/** One ECS deployment of the service (PRIMARY, ACTIVE or INACTIVE). */
export interface EcsDeploymentSummary {
  id: string;
  /** PRIMARY is the newest; ACTIVE ones are being drained. */
  status: string;
  taskDefinitionRevision?: number;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  /** COMPLETED, FAILED or IN_PROGRESS (only with the ECS deployment controller). */
  rolloutState?: string;
  rolloutStateReason?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** One event from the ECS service's event log. */
export interface EcsServiceEvent {
  id: string;
  createdAt: string;
  message: string;
}

export interface EcsServiceSummary {
  serviceName: string;
  clusterName: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType?: string;
  taskDefinitionRevision?: number;
  /** Image of the service's essential container in the current task definition. */
  image?: string;
  deployments: EcsDeploymentSummary[];
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** The newest events first, at most a handful. */
  events: EcsServiceEvent[];
  /** From Application Auto Scaling; absent when the service does not scale. */
  scaling?: { minCapacity: number; maxCapacity: number };
}

export interface EcsContainerSummary {
  name: string;
  exitCode?: number;
  reason?: string;
  image?: string;
  lastStatus?: string;
  healthStatus?: string;
}

export interface EcsTaskSummary {
  taskArn: string;
  /** The last segment of the ARN, as the ECS console shows it. */
  taskId: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus?: string;
  stoppedReason?: string;
  stopCode?: string;
  containers: EcsContainerSummary[];
  availabilityZone?: string;
  startedAt?: string;
  stoppedAt?: string;
  taskDefinitionRevision?: number;
}

/**
 * Metadata of one SSM parameter. There is deliberately no value field: the
 * backend only ever calls DescribeParameters, never GetParameter.
 */
export interface ParameterMetadata {
  name: string;
  /** String, StringList or SecureString. */
  type: string;
  version?: number;
  lastModifiedDate?: string;
  lastModifiedUser?: string;
  /** Standard, Advanced or Intelligent-Tiering. */
  tier?: string;
  /** The KMS key of a SecureString (an alias or key id, not key material). */
  keyId?: string;
}

export interface MetricPoint {
  /** Start of the period, ISO 8601. */
  timestamp: string;
  value: number;
}

export interface MetricSeries {
  /** Query id, e.g. `cpuAverage`. */
  id: string;
  label: string;
  /** CloudWatch unit, e.g. `Percent`, `Count`, `Seconds`. */
  unit: string;
  /** Seconds per point. */
  period: number;
  /** Oldest first. */
  points: MetricPoint[];
}

export interface LogEvent {
  timestamp: string;
  message: string;
  logStream: string;
}

/** Deep links into the AWS console for the environment's resources. */
export interface ConsoleLinks {
  service: string;
  tasks: string;
  logs: string;
  parameters: string;
  metrics: string;
  stack: string;
}

/** Time range of metrics and logs in a status request. */
export type StatusRange = '1h' | '6h' | '24h' | '7d';

export const STATUS_RANGES: readonly StatusRange[] = ['1h', '6h', '24h', '7d'];

/** Status of one service in one environment. */
export interface EnvironmentStatus {
  name: string;
  title: string;
  accountId: string;
  region: string;
  /** Position in the promotion path, 0 first. */
  order: number;
  health: EnvironmentHealth;
  findings: Finding[];
  service?: EcsServiceSummary;
  tasks: EcsTaskSummary[];
  /**
   * Empty when the caller may not read parameter metadata; `errors` then
   * holds an ACCESS_DENIED entry for `ssm`.
   */
  parameters: ParameterMetadata[];
  metrics?: MetricSeries[];
  logs?: LogEvent[];
  consoleLinks: ConsoleLinks;
  /**
   * Set when the environment as a whole could not be read (its ECS service
   * could not be described, or the environment timed out), so `health` is
   * `unknown`. It is also listed in `errors`.
   */
  error?: EnvironmentError;
  /** Every source that failed, at most one entry per source. */
  errors: EnvironmentError[];
  /** When the backend read AWS (responses may come from its cache). */
  fetchedAt: string;
}

export interface EnvironmentStatusResponse {
  entityRef: string;
  range: StatusRange;
  environments: EnvironmentStatus[];
}
