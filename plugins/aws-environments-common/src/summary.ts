import { EnvironmentDriftStatus } from './drift';
import {
  ConsoleLinks,
  EnvironmentError,
  EnvironmentHealth,
  EnvironmentStatus,
  Finding,
} from './types';

/**
 * The facts of one environment that the status page and the overview of
 * the Environments tab show: a few hundred bytes instead of the tens of
 * kilobytes of an {@link EnvironmentStatus} with its tasks, metrics and
 * logs.
 *
 * @public
 */
export interface EnvironmentSummary {
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
  /** The ECS service's counts and what it runs; absent when unread. */
  service?: {
    /** The service's status (ACTIVE, DRAINING). */
    status: string;
    /** Tasks the service wants. */
    desiredCount: number;
    /** Tasks running. */
    runningCount: number;
    /** Tasks starting. */
    pendingCount: number;
    /** The app container's image of the primary deployment. */
    image?: string;
    /** Revision of the primary deployment's task definition. */
    taskDefinitionRevision?: number;
    /** Rollout state of the primary deployment (IN_PROGRESS, COMPLETED, FAILED). */
    rolloutState?: string;
    /** Why the rollout is in that state, as ECS says. */
    rolloutStateReason?: string;
    /** When the primary deployment was created: when this image was deployed. */
    deployedAt?: string;
    /** The autoscaling bounds, when they could be read. */
    scaling?: { minCapacity: number; maxCapacity: number };
  };
  /** Links to the environment's resources in the AWS console. */
  consoleLinks: ConsoleLinks;
  /** Set when the environment as a whole could not be read. */
  error?: EnvironmentError;
  /** Every source that failed, at most one entry per source. */
  errors: EnvironmentError[];
  /** When the backend read AWS. */
  fetchedAt: string;
}

/**
 * The summary of a full status: what {@link EnvironmentSummary} keeps of it.
 *
 * @public
 */
export function summarizeStatus(status: EnvironmentStatus): EnvironmentSummary {
  const service = status.service;
  const primary =
    service?.deployments.find(d => d.status === 'PRIMARY') ??
    service?.deployments[0];
  return {
    name: status.name,
    title: status.title,
    accountId: status.accountId,
    region: status.region,
    order: status.order,
    health: status.health,
    findings: status.findings,
    service: service && {
      status: service.status,
      desiredCount: service.desiredCount,
      runningCount: service.runningCount,
      pendingCount: service.pendingCount,
      image: service.image,
      taskDefinitionRevision: service.taskDefinitionRevision,
      rolloutState: primary?.rolloutState,
      rolloutStateReason: primary?.rolloutStateReason,
      deployedAt: primary?.createdAt,
      scaling: service.scaling,
    },
    consoleLinks: status.consoleLinks,
    error: status.error,
    errors: status.errors,
    fetchedAt: status.fetchedAt,
  };
}

/**
 * Where an environment's stack stands against its template, as the last
 * drift check found it.
 *
 * @public
 */
export interface EnvironmentDriftSummary {
  /** `in_sync`, `drifted`, `failed`, `checking` or `not_checked`. */
  status: EnvironmentDriftStatus;
  /** Resources the last finished check found drifted. */
  driftedResourceCount: number;
  /** When the last check finished. */
  checkedAt?: string;
}

/**
 * One entity of the status overview: who it is, and the summary of each
 * of its environments, in promotion order.
 *
 * @public
 */
export interface StatusOverviewRow {
  /** The entity's ref, e.g. `component:default/shop`. */
  entityRef: string;
  /** The entity's title, when it has one. */
  title?: string;
  /** `spec.owner` as written. */
  owner?: string;
  /** `spec.system` as written. */
  system?: string;
  /** The project of the entity's environments. */
  project: string;
  /**
   * One entry per environment of the entity. `summary` is absent while the
   * environment was never read; it is then being read, ahead of the queue.
   */
  environments: Array<{
    name: string;
    summary?: EnvironmentSummary;
    /** The last drift check of the environment's stack, when there was one. */
    drift?: EnvironmentDriftSummary;
  }>;
  /**
   * Why the entity's environments are not shown: the caller may not read
   * them, or its annotations are invalid. `environments` is then empty.
   */
  error?: string;
}

/**
 * `GET /overview`: one page of the entities with AWS environments that the
 * caller may see, with their environments' summaries.
 *
 * @public
 */
export interface StatusOverviewResponse {
  /** The page's rows, ordered by entity name. */
  rows: StatusOverviewRow[];
  /** How many entities match the filters, on every page. */
  totalItems: number;
  /** Cursor of the next page, when there is one. */
  nextCursor?: string;
  /** Cursor of the previous page, when there is one. */
  prevCursor?: string;
}
