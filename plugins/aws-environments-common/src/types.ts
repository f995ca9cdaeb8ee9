/**
 * The shape of the backend's status API, shared with the frontend.
 *
 * Everything here is JSON-safe (dates are ISO strings) because responses are
 * cached as JSON in the cache service (memory or Redis) and sent as-is.
 */

/**
 * Overall health of one environment, derived from its findings.
 *
 * @public
 */
export type EnvironmentHealth =
  | 'healthy'
  | 'degraded'
  | 'unhealthy'
  | 'unknown';

/**
 * The AWS services one environment's status is read from.
 *
 * @public
 */
export type EnvironmentDataSource =
  | 'ecs'
  | 'ssm'
  | 'cloudwatch'
  | 'logs'
  | 'autoscaling';

/**
 * Why a source could not be read, in terms a user can act on.
 *
 * @public
 */
export type EnvironmentErrorType =
  | 'NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'TIMEOUT'
  | 'UNKNOWN';

/**
 * A failure of one source in one environment. Like the Kubernetes plugin's
 * per-cluster errors, a failing source never hides the others' data.
 *
 * @public
 */
export interface EnvironmentError {
  /** What kind of failure it was. */
  type: EnvironmentErrorType;
  /** The failure as AWS or the backend described it. */
  message: string;
  /** The source that failed. */
  source: EnvironmentDataSource;
}

/**
 * One finding of the health rules (see `health/`).
 *
 * @public
 */
export interface Finding {
  /** Stable rule id, e.g. `running-below-desired`. */
  id: string;
  /** `error` makes the environment unhealthy, `warning` degraded. */
  severity: 'error' | 'warning' | 'info';
  /** A short headline. */
  title: string;
  /** What was found, with the numbers behind it. */
  message: string;
  /** The data the finding is based on. */
  source: EnvironmentDataSource;
}

/**
 * One ECS deployment of the service (PRIMARY, ACTIVE or INACTIVE).
 *
 * @public
 */
export interface EcsDeploymentSummary {
  /** The ECS deployment id. */
  id: string;
  /** PRIMARY is the newest; ACTIVE ones are being drained. */
  status: string;
  /** Revision of the task definition it deploys. */
  taskDefinitionRevision?: number;
  /** Tasks the deployment wants running. */
  desiredCount: number;
  /** Tasks of the deployment that are running. */
  runningCount: number;
  /** Tasks of the deployment that are starting. */
  pendingCount: number;
  /** Tasks of the deployment that failed to start. */
  failedTasks: number;
  /** COMPLETED, FAILED or IN_PROGRESS (only with the ECS deployment controller). */
  rolloutState?: string;
  /** Why the rollout is in its state, as ECS says. */
  rolloutStateReason?: string;
  /** When the deployment was created. */
  createdAt?: string;
  /** When the deployment last changed. */
  updatedAt?: string;
}

/**
 * One event from the ECS service's event log.
 *
 * @public
 */
export interface EcsServiceEvent {
  /** The event's id. */
  id: string;
  /** When ECS logged it. */
  createdAt: string;
  /** The event text. */
  message: string;
}

/**
 * The ECS service of one environment.
 *
 * @public
 */
export interface EcsServiceSummary {
  /** The service's name. */
  serviceName: string;
  /** The cluster it runs in. */
  clusterName: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  /** Tasks the service wants running. */
  desiredCount: number;
  /** Tasks that are running. */
  runningCount: number;
  /** Tasks that are starting. */
  pendingCount: number;
  /** E.g. FARGATE. */
  launchType?: string;
  /** Revision of the service's current task definition. */
  taskDefinitionRevision?: number;
  /** Image of the service's essential container in the current task definition. */
  image?: string;
  /** The service's deployments, as ECS lists them. */
  deployments: EcsDeploymentSummary[];
  /** The deployment circuit breaker's settings. */
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** The newest events first, at most a handful. */
  events: EcsServiceEvent[];
  /** From Application Auto Scaling; absent when the service does not scale. */
  scaling?: { minCapacity: number; maxCapacity: number };
}

/**
 * One container of an ECS task.
 *
 * @public
 */
export interface EcsContainerSummary {
  /** The container's name in the task definition. */
  name: string;
  /** Set once the container has exited. */
  exitCode?: number;
  /** Why the container stopped, as ECS says. */
  reason?: string;
  /** The container's image. */
  image?: string;
  /** E.g. RUNNING or STOPPED. */
  lastStatus?: string;
  /** HEALTHY, UNHEALTHY or UNKNOWN. */
  healthStatus?: string;
}

/**
 * One ECS task of an environment's service, running or recently stopped.
 *
 * @public
 */
export interface EcsTaskSummary {
  /** The task's ARN. */
  taskArn: string;
  /** The last segment of the ARN, as the ECS console shows it. */
  taskId: string;
  /** E.g. PROVISIONING, RUNNING or STOPPED. */
  lastStatus: string;
  /** The status ECS is moving the task to. */
  desiredStatus: string;
  /** HEALTHY, UNHEALTHY or UNKNOWN. */
  healthStatus?: string;
  /** Why the task stopped, as ECS says. */
  stoppedReason?: string;
  /** E.g. `TaskFailedToStart` or `EssentialContainerExited`. */
  stopCode?: string;
  /** The task's containers. */
  containers: EcsContainerSummary[];
  /** The zone the task runs in. */
  availabilityZone?: string;
  /** When the task started. */
  startedAt?: string;
  /** When the task stopped. */
  stoppedAt?: string;
  /** Revision of the task definition the task runs. */
  taskDefinitionRevision?: number;
}

/**
 * Metadata of one SSM parameter. There is deliberately no value field: the
 * backend only ever calls DescribeParameters, never GetParameter.
 *
 * @public
 */
export interface ParameterMetadata {
  /** The parameter's full name, under the environment's parameter path. */
  name: string;
  /** String, StringList or SecureString. */
  type: string;
  /** Incremented by SSM with every change. */
  version?: number;
  /** When the parameter last changed. */
  lastModifiedDate?: string;
  /** Who last changed it (an IAM ARN). */
  lastModifiedUser?: string;
  /** Standard, Advanced or Intelligent-Tiering. */
  tier?: string;
  /** The KMS key of a SecureString (an alias or key id, not key material). */
  keyId?: string;
}

/**
 * One value of a metric series.
 *
 * @public
 */
export interface MetricPoint {
  /** Start of the period, ISO 8601. */
  timestamp: string;
  /** The value for the period, in the series' unit. */
  value: number;
}

/**
 * One CloudWatch metric of an environment over the requested range.
 *
 * @public
 */
export interface MetricSeries {
  /** Query id, e.g. `cpuAverage`. */
  id: string;
  /** Display name. */
  label: string;
  /** CloudWatch unit, e.g. `Percent`, `Count`, `Seconds`. */
  unit: string;
  /** Seconds per point. */
  period: number;
  /** Oldest first. */
  points: MetricPoint[];
}

/**
 * One line of the containers' CloudWatch logs.
 *
 * @public
 */
export interface LogEvent {
  /** When it was logged, ISO 8601. */
  timestamp: string;
  /** The log line. */
  message: string;
  /** The log stream, one per task and container. */
  logStream: string;
}

/**
 * Deep links into the AWS console for the environment's resources.
 *
 * @public
 */
export interface ConsoleLinks {
  /** The ECS service. */
  service: string;
  /** The service's tasks. */
  tasks: string;
  /** The log group. */
  logs: string;
  /** The SSM parameters under the environment's path. */
  parameters: string;
  /** The service's CloudWatch metrics. */
  metrics: string;
  /** The CloudFormation stack. */
  stack: string;
}

/**
 * Time range of metrics and logs in a status request.
 *
 * @public
 */
export type StatusRange = '1h' | '6h' | '24h' | '7d';

/**
 * Every time range a status request accepts, shortest first.
 *
 * @public
 */
export const STATUS_RANGES: readonly StatusRange[] = ['1h', '6h', '24h', '7d'];

/**
 * Status of one service in one environment.
 *
 * @public
 */
export interface EnvironmentStatus {
  /** The environment's name. */
  name: string;
  /** The environment's display name. */
  title: string;
  /** The AWS account of the environment. */
  accountId: string;
  /** The AWS region of the environment. */
  region: string;
  /** Position in the promotion path, 0 first. */
  order: number;
  /** Overall health, from the findings. */
  health: EnvironmentHealth;
  /** What the health rules found, most severe first. */
  findings: Finding[];
  /** The ECS service; absent when it could not be read. */
  service?: EcsServiceSummary;
  /** Running and recently stopped tasks. */
  tasks: EcsTaskSummary[];
  /**
   * Empty when the caller may not read parameter metadata; `errors` then
   * holds an ACCESS_DENIED entry for `ssm`.
   */
  parameters: ParameterMetadata[];
  /** CloudWatch metrics over the requested range. */
  metrics?: MetricSeries[];
  /** The newest log lines of the requested range, newest first. */
  logs?: LogEvent[];
  /** Links to the environment's resources in the AWS console. */
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

/**
 * `GET /entity/:namespace/:kind/:name/status`: the status of an entity's
 * environments.
 *
 * @public
 */
export interface EnvironmentStatusResponse {
  /** The entity the status is of. */
  entityRef: string;
  /** The time range of metrics and logs. */
  range: StatusRange;
  /** One entry per environment, in promotion order. */
  environments: EnvironmentStatus[];
}

/**
 * The newest log lines of one environment, read on their own.
 *
 * @public
 */
export interface EnvironmentLogs {
  /** The environment's name. */
  name: string;
  /** The newest log lines of the range, newest first. */
  logs: LogEvent[];
  /** Set when the log group could not be read; `logs` is then empty. */
  error?: EnvironmentError;
  /** When the backend read AWS. */
  fetchedAt: string;
}

/**
 * `GET /entity/:namespace/:kind/:name/logs`: one environment's newest log
 * lines.
 *
 * @public
 */
export interface EnvironmentLogsResponse extends EnvironmentLogs {
  /** The entity the logs are of. */
  entityRef: string;
  /** The time range searched. */
  range: StatusRange;
}
