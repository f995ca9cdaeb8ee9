/*
 * ECS's part of the sandbox's state (state.ts): clusters, task definitions,
 * services with their deployments, and tasks with the transition times the
 * simulator has planned for them. Times are epoch milliseconds of the
 * simulated clock.
 */
export interface EcsCluster {
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  settings: { name: string; value: string }[];
  tags: { key: string; value: string }[];
  capacityProviders: string[];
}

export interface EcsTaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  containerDefinitions: any[];
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  volumes: any[];
  placementConstraints: any[];
  runtimePlatform?: any;
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  tags: { key: string; value: string }[];
}

export interface EcsDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  createdAt: number;
  updatedAt: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  /** Set when this deployment is the circuit breaker's rollback. */
  isRollback?: boolean;
}

export interface EcsServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface EcsService {
  serviceName: string;
  serviceArn: string;
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  launchType?: string;
  platformVersion?: string;
  createdAt: number;
  createdBy: string;
  deploymentConfiguration: any;
  networkConfiguration?: any;
  loadBalancers: any[];
  serviceRegistries: any[];
  healthCheckGracePeriodSeconds?: number;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  propagateTags?: string;
  schedulingStrategy: string;
  deploymentController: { type: string };
  capacityProviderStrategy?: any[];
  tags: { key: string; value: string }[];
  deployments: EcsDeployment[];
  events: EcsServiceEvent[];
  /** Consecutive task failures, for restart back-off. */
  consecutiveFailures: number;
  nextLaunchAt: number;
  /** Running-count history for the RunningTaskCount metric: [time, count]. */
  runningHistory: [number, number][];
  deletedAt?: number;
  /** Task definition of the last deployment that completed (rollback target). */
  stableTaskDefinition?: string;
  stableDeploymentId?: string;
  /** Whether the last reconcile found the service steady (for events). */
  steady?: boolean;
}

export interface EcsContainer {
  containerArn: string;
  name: string;
  image: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  cpu?: string;
  memory?: string;
  essential: boolean;
  logGroup?: string;
  logStreamPrefix?: string;
  logRegion?: string;
}

export interface EcsTask {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  clusterName: string;
  taskDefinitionArn: string;
  serviceName?: string;
  deploymentId?: string;
  group?: string;
  startedBy?: string;
  lastStatus: string;
  desiredStatus: string;
  launchType: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  privateIp: string;
  subnetId?: string;
  createdAt: number;
  /** Planned transition times (simulated ms). */
  pendingAt: number;
  runningAt: number;
  /** When the task will stop by itself (crash loop / failure), if planned. */
  failAt?: number;
  failReason?: string;
  /** When a stopping task reaches STOPPED. */
  stopDueAt?: number;
  /** Whether the stop counts as a failure for the deployment. */
  failed?: boolean;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  containers: EcsContainer[];
  version: number;
  /** Last simulated minute for which a log line was written. */
  lastLogAt?: number;
}
