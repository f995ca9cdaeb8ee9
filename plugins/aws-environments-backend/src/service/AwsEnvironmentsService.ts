import {
  CacheService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  AwsEnvironmentConfig,
  EnvironmentLogs,
  EnvironmentStatus,
  StatusRange,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import {
  AwsClientFactory,
  PluginMetrics,
} from '@envplane/plugin-aws-environments-node';
import { StatusOptions, readStatusOptions } from '../statusOptions';
import {
  EnvironmentStatusCollector,
  StatusDetail,
} from './EnvironmentStatusCollector';
import { SingleFlight } from './SingleFlight';
import { tolerantCache } from './tolerantCache';

/**
 * Which environments of a project to read, and over which time range.
 *
 * @public
 */
export interface ProjectStatusRequest {
  /** The project name from the entity's `aws-environments.io/project`. */
  project: string;
  /** Names of configured environments, in any order. */
  environments: string[];
  /** Time range of metrics and logs. */
  range: StatusRange;
  /**
   * Read AWS even when the cache holds an answer, and refresh the cache
   * with it: for decisions (what runs in an environment before promoting
   * it), not for page views.
   */
  fresh?: boolean;
  /**
   * `summary` reads only what the overview shows (see `StatusDetail`), in
   * fewer AWS calls: what the snapshot refresher asks for. Default `full`.
   */
  detail?: StatusDetail;
  /** Whether a full read includes the newest log lines. Default true. */
  logs?: boolean;
}

/**
 * One environment's newest log lines, for a logs panel that asks for them
 * only while it is open.
 *
 * @public
 */
export interface ProjectLogsRequest {
  /** The project name from the entity's `aws-environments.io/project`. */
  project: string;
  /** The name of one configured environment. */
  environment: string;
  /** Time range searched. */
  range: StatusRange;
}

/**
 * Summaries about to be read, whose metrics to read ahead in one batch.
 *
 * @public
 */
export interface SummaryMetricsRequest {
  /** Each a project and the name of one configured environment. */
  environments: { project: string; environment: string }[];
  /** Time range of the summaries' metrics. */
  range: StatusRange;
}

/**
 * Reads the AWS status of a project's environments. Knows nothing about
 * entities or callers: the entity-facing checks (catalog visibility,
 * permissions, annotations) happen before anything reaches it.
 *
 * @public
 */
export interface AwsEnvironmentsService {
  /** The configured environments, in promotion order. */
  listEnvironments(): AwsEnvironmentConfig[];
  /** The status of each requested environment, in promotion order. */
  getProjectStatus(request: ProjectStatusRequest): Promise<EnvironmentStatus[]>;
  /** The newest log lines of one environment, cached like the status. */
  getProjectLogs(request: ProjectLogsRequest): Promise<EnvironmentLogs>;
  /**
   * Reads ahead the CloudWatch series of summaries (`detail: 'summary'`)
   * about to be read, in one call per account and region for all of them;
   * each summary read within the next minute uses its series instead of
   * calling CloudWatch itself.
   */
  prefetchSummaryMetrics(request: SummaryMetricsRequest): Promise<void>;
  /** The `awsEnvironments.status` settings in effect. */
  readonly options: StatusOptions;
}

/** Bumped when the cached shape changes, so old entries are not misread. */
const CACHE_VERSION = 'v3';

/**
 * Serves each (project, environment, range) from the cache for a short TTL,
 * and lets concurrent misses for the same key share one read of AWS.
 * Environments are read in parallel and independently: a slow or failing
 * one yields its own error without delaying the others past its budget.
 */
export class DefaultAwsEnvironmentsService implements AwsEnvironmentsService {
  private readonly singleFlight = new SingleFlight<EnvironmentStatus>();
  private readonly logsFlight = new SingleFlight<EnvironmentLogs>();
  private readonly statusCache: CacheService;
  private readonly cacheReads?: ReturnType<PluginMetrics['createCounter']>;
  private readonly statusAge?: ReturnType<PluginMetrics['createHistogram']>;

  static fromConfig(
    config: RootConfigService,
    deps: {
      logger: LoggerService;
      cache: CacheService;
      /** The plugin's metrics service: AWS calls, cache hits, status age. */
      metrics?: PluginMetrics;
    },
  ): DefaultAwsEnvironmentsService {
    const options = readStatusOptions(config);
    const cache = tolerantCache(deps.cache, deps.logger);
    return new DefaultAwsEnvironmentsService({
      environments: readAwsEnvironments(config),
      options,
      cache,
      metrics: deps.metrics,
      collector: new EnvironmentStatusCollector({
        clients: AwsClientFactory.fromConfig(config, { metrics: deps.metrics }),
        cache,
        logger: deps.logger,
        options,
      }),
    });
  }

  readonly options: StatusOptions;

  constructor(
    private readonly deps: {
      environments: AwsEnvironmentConfig[];
      options: StatusOptions;
      cache: CacheService;
      collector: EnvironmentStatusCollector;
      metrics?: PluginMetrics;
    },
  ) {
    this.options = deps.options;
    this.cacheReads = deps.metrics?.createCounter('envplane.status.cache', {
      description:
        'Status reads of one environment by result: hit (from the cache), miss (read from AWS) or bypass (a fresh read for a promotion)',
    });
    this.statusAge = deps.metrics?.createHistogram('envplane.status.age', {
      description: 'Age of the status served for one environment',
      unit: 's',
    });
    this.statusCache = deps.cache.withOptions({
      defaultTtl: deps.options.cacheTtlSeconds * 1000,
    });
  }

  listEnvironments(): AwsEnvironmentConfig[] {
    return this.deps.environments;
  }

  async getProjectStatus(
    request: ProjectStatusRequest,
  ): Promise<EnvironmentStatus[]> {
    const wanted = new Set(request.environments);
    const environments = this.deps.environments
      .map((environment, order) => ({ environment, order }))
      .filter(({ environment }) => wanted.has(environment.name));
    return Promise.all(
      environments.map(({ environment, order }) =>
        this.environmentStatus(
          request.project,
          environment,
          order,
          request.range,
          request.fresh ?? false,
          request.detail ?? 'full',
          request.logs ?? true,
        ),
      ),
    );
  }

  async prefetchSummaryMetrics(request: SummaryMetricsRequest): Promise<void> {
    const byName = new Map(this.deps.environments.map(e => [e.name, e]));
    const targets = request.environments.flatMap(({ project, environment }) => {
      const config = byName.get(environment);
      return config ? [{ project, environment: config }] : [];
    });
    if (targets.length > 0) {
      await this.deps.collector.prefetchSummaryMetrics(targets, request.range);
    }
  }

  async getProjectLogs(request: ProjectLogsRequest): Promise<EnvironmentLogs> {
    const environment = this.deps.environments.find(
      e => e.name === request.environment,
    );
    if (!environment) {
      throw new Error(`Unknown environment ${request.environment}`);
    }
    const key = [
      'logs',
      CACHE_VERSION,
      request.project,
      environment.name,
      environment.accountId,
      environment.region,
      request.range,
    ].join(':');
    return this.logsFlight.run(key, async () => {
      const cached = await this.statusCache.get<string>(key);
      if (typeof cached === 'string') {
        return JSON.parse(cached) as EnvironmentLogs;
      }
      const logs = await this.deps.collector.collectLogs({
        project: request.project,
        environment,
        range: request.range,
      });
      await this.statusCache.set(key, JSON.stringify(logs));
      return logs;
    });
  }

  private async environmentStatus(
    project: string,
    environment: AwsEnvironmentConfig,
    order: number,
    range: StatusRange,
    fresh: boolean,
    detail: StatusDetail,
    logs: boolean,
  ): Promise<EnvironmentStatus> {
    // Keyed by what the AWS identifiers derive from, so every entity of a
    // project shares one entry, and a changed account or region misses.
    const key = [
      'status',
      CACHE_VERSION,
      project,
      environment.name,
      environment.accountId,
      environment.region,
      range,
      detail,
      logs ? 'logs' : 'nologs',
    ].join(':');
    // A fresh read shares only with other fresh reads: one already under
    // way for a viewer may have started before what the caller must see.
    const flight = fresh ? `fresh:${key}` : key;
    const status = await this.singleFlight.run(flight, async () => {
      const cached = fresh
        ? undefined
        : await this.statusCache.get<string>(key);
      if (typeof cached === 'string') {
        this.cacheReads?.add(1, { result: 'hit' });
        return JSON.parse(cached) as EnvironmentStatus;
      }
      this.cacheReads?.add(1, { result: fresh ? 'bypass' : 'miss' });
      const collected = await this.deps.collector.collect({
        project,
        environment,
        order,
        range,
        detail,
        logs,
      });
      // Stored as one JSON string rather than an object: Keyv revives
      // objects value by value, which made cached reads of four environments
      // 4x slower on the memory store (see docs/benchmarks.md). Memory and
      // Redis stores treat a string alike.
      await this.statusCache.set(key, JSON.stringify(collected));
      return collected;
    });
    this.statusAge?.record(
      Math.max(0, (Date.now() - Date.parse(status.fetchedAt)) / 1000),
      { environment: environment.name },
    );
    return status;
  }
}
