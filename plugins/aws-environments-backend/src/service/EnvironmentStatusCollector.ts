import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AwsEnvironmentConfig,
  EnvironmentDataSource,
  EnvironmentError,
  EnvironmentLogs,
  EnvironmentResourceNames,
  EnvironmentStatus,
  StatusRange,
  detectFindings,
  environmentResourceNames,
  healthFromFindings,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { consoleLinks } from '../aws/consoleLinks';
import { ReadContext, createReadContext } from '../aws/readContext';
import { readEcs } from '../aws/readEcs';
import { readLoadBalancerDimension } from '../aws/readLoadBalancer';
import { readLogs } from '../aws/readLogs';
import { readMetrics } from '../aws/readMetrics';
import { readParameters } from '../aws/readParameters';
import { readScaling } from '../aws/readScaling';
import { readSlowChanging } from '../aws/readSlowChanging';
import {
  credentialsFailure,
  toEnvironmentError,
} from '../aws/toEnvironmentError';
import { StatusOptions } from '../statusOptions';
import { PrefetchedMetrics, SummaryTarget } from './PrefetchedMetrics';
import { TimeBudget } from './TimeBudget';

export interface CollectRequest {
  project: string;
  environment: AwsEnvironmentConfig;
  /** Position of the environment in the promotion path. */
  order: number;
  range: StatusRange;
  /**
   * `summary` reads only what an `EnvironmentSummary` shows and the
   * health rules need: no running tasks, logs or load balancer series, and
   * scaling bounds and parameter metadata from a slow cache. Default `full`.
   */
  detail?: StatusDetail;
  /** Whether a full read includes the newest log lines. Default true. */
  logs?: boolean;
}

/**
 * How much of an environment a read covers: `full` for the tab's details,
 * `summary` for the overview (see `ProjectStatusRequest.detail`).
 *
 * @public
 */
export type StatusDetail = 'full' | 'summary';

/** The fields of a status that do not depend on what AWS answers. */
type StatusBase = Pick<
  EnvironmentStatus,
  | 'name'
  | 'title'
  | 'accountId'
  | 'region'
  | 'order'
  | 'consoleLinks'
  | 'fetchedAt'
>;

interface StatusData {
  service?: EnvironmentStatus['service'];
  tasks?: EnvironmentStatus['tasks'];
  parameters?: EnvironmentStatus['parameters'];
  metrics?: EnvironmentStatus['metrics'];
  logs?: EnvironmentStatus['logs'];
  errors: EnvironmentError[];
  /** The failure that left nothing to judge health by. */
  environmentError?: EnvironmentError;
  appSecretParameterName?: string;
}

/**
 * The service's metrics, plus the load balancer's when the stack has one.
 * Failing to find the load balancer costs only its series.
 */
async function readMetricsWithLoadBalancer(ctx: ReadContext) {
  let loadBalancer: string | undefined;
  let loadBalancerError: unknown;
  try {
    loadBalancer = await readLoadBalancerDimension(ctx);
  } catch (error) {
    loadBalancerError = error;
  }
  return { series: await readMetrics(ctx, loadBalancer), loadBalancerError };
}

/**
 * Reads one environment of one project from AWS. Sources are read in
 * parallel and fail independently: each failure becomes one typed error for
 * its source while the others' data is kept (an SSM outage does not hide
 * ECS). A time budget aborts whatever is still pending.
 */
export class EnvironmentStatusCollector {
  private readonly prefetched: PrefetchedMetrics;

  constructor(
    private readonly deps: {
      clients: AwsClientFactory;
      cache: CacheService;
      logger: LoggerService;
      options: StatusOptions;
    },
  ) {
    this.prefetched = new PrefetchedMetrics({
      clients: deps.clients,
      timeoutMs: deps.options.timeoutMs,
    });
  }

  async collect(request: CollectRequest): Promise<EnvironmentStatus> {
    const { project, environment, order } = request;
    const now = new Date();
    const names = environmentResourceNames(project, environment.name);
    const base: StatusBase = {
      name: environment.name,
      title: environment.title,
      accountId: environment.accountId,
      region: environment.region,
      order,
      consoleLinks: consoleLinks(environment.region, names),
      fetchedAt: now.toISOString(),
    };
    const budget = new TimeBudget(this.deps.options.timeoutMs);
    try {
      return this.finish(
        base,
        now,
        await this.read(request, names, now, budget),
      );
    } catch (error) {
      // Readers turn AWS failures into typed errors; anything reaching here
      // is unexpected, and still must not take other environments down.
      this.deps.logger.error(
        `Reading ${project}/${environment.name} failed unexpectedly`,
        error instanceof Error ? error : undefined,
      );
      const envError = toEnvironmentError(
        error,
        'ecs',
        'Reading the environment',
      );
      return this.finish(base, now, {
        errors: [envError],
        environmentError: envError,
      });
    } finally {
      budget.end();
    }
  }

  /**
   * Reads the service series of many environments' summaries ahead, one
   * metrics call per account and region, for summary reads that follow
   * within a minute (see `PrefetchedMetrics`).
   */
  prefetchSummaryMetrics(
    targets: SummaryTarget[],
    range: StatusRange,
  ): Promise<void> {
    return this.prefetched.prefetch(targets, range);
  }

  /**
   * Only the newest log lines of one environment, for the tab's logs panel,
   * which asks for them only while it is open. A failure is one typed error.
   */
  async collectLogs(
    request: Omit<CollectRequest, 'order' | 'detail' | 'logs'>,
  ): Promise<EnvironmentLogs> {
    const { project, environment, range } = request;
    const now = new Date();
    const names = environmentResourceNames(project, environment.name);
    const budget = new TimeBudget(this.deps.options.timeoutMs);
    try {
      const ctx = await createReadContext(this.deps, {
        environment,
        names,
        range,
        now,
        budget,
      });
      const logs = await budget.within(readLogs(ctx));
      return { name: environment.name, logs, fetchedAt: now.toISOString() };
    } catch (error) {
      const envError = toEnvironmentError(
        error,
        'logs',
        `Log group ${names.logGroupName}`,
      );
      this.deps.logger.warn(
        `Reading logs of ${project}/${environment.name} failed: ${envError.type}`,
      );
      return {
        name: environment.name,
        logs: [],
        error: envError,
        fetchedAt: now.toISOString(),
      };
    } finally {
      budget.end();
    }
  }

  private async read(
    request: CollectRequest,
    names: EnvironmentResourceNames,
    now: Date,
    budget: TimeBudget,
  ): Promise<StatusData> {
    const { project, environment, range } = request;

    let ctx: ReadContext;
    try {
      ctx = await createReadContext(this.deps, {
        environment,
        names,
        range,
        now,
        budget,
      });
    } catch (error) {
      // No credentials for the account: nothing can be read.
      const envError = toEnvironmentError(
        error,
        'ecs',
        `AWS credentials for account ${environment.accountId}`,
      );
      return { errors: [envError], environmentError: envError };
    }

    const summary = request.detail === 'summary';
    const [ecs, scaling, parameters, metrics, logs] = await Promise.allSettled([
      budget.within(readEcs(ctx, { runningTasks: !summary })),
      budget.within(
        summary
          ? readSlowChanging(ctx, 'scaling', () => readScaling(ctx))
          : readScaling(ctx),
      ),
      budget.within(
        summary
          ? readSlowChanging(ctx, 'parameters', () => readParameters(ctx))
          : readParameters(ctx),
      ),
      budget.within(
        summary
          ? this.summaryMetrics(ctx, project, range).then(series => ({
              series,
              loadBalancerError: undefined,
            }))
          : readMetricsWithLoadBalancer(ctx),
      ),
      summary || request.logs === false
        ? Promise.resolve(undefined)
        : budget.within(readLogs(ctx)),
    ]);

    const errors: EnvironmentError[] = [];
    // Credentials fail every source of the account alike (say, a role
    // AssumeRole refuses): one error for the account, not one per source.
    let credentialsError: EnvironmentError | undefined;
    const failed = (
      reason: unknown,
      source: EnvironmentDataSource,
      context: string,
    ) => {
      if (!credentialsFailure(reason)) {
        errors.push(toEnvironmentError(reason, source, context));
      } else if (!credentialsError) {
        credentialsError = toEnvironmentError(
          reason,
          source,
          `AWS credentials for account ${environment.accountId}`,
        );
        errors.push(credentialsError);
      }
    };
    const check = (
      result: PromiseSettledResult<unknown>,
      source: EnvironmentDataSource,
      context: string,
    ) => {
      if (result.status === 'rejected') {
        failed(result.reason, source, context);
      }
    };
    check(
      ecs,
      'ecs',
      `ECS service ${names.serviceName} in cluster ${names.clusterName}`,
    );
    if (ecs.status === 'fulfilled' && ecs.value.error) {
      errors.push(ecs.value.error);
    }
    check(scaling, 'autoscaling', `Auto scaling of ${names.serviceName}`);
    check(parameters, 'ssm', `SSM parameters under ${names.parameterPath}`);
    check(metrics, 'cloudwatch', `CloudWatch metrics of ${names.serviceName}`);
    if (metrics.status === 'fulfilled' && metrics.value.loadBalancerError) {
      failed(
        metrics.value.loadBalancerError,
        'cloudwatch',
        `Load balancer of stack ${names.stackName} (its metrics are left out)`,
      );
    }
    check(logs, 'logs', `Log group ${names.logGroupName}`);
    for (const e of errors) {
      // Type and source only: details can quote request parameters.
      this.deps.logger.warn(
        `Reading ${e.source} of ${project}/${environment.name} failed: ${e.type}`,
      );
    }

    const service =
      ecs.status === 'fulfilled' && ecs.value.service
        ? {
            ...ecs.value.service,
            scaling: scaling.status === 'fulfilled' ? scaling.value : undefined,
          }
        : undefined;
    return {
      service,
      tasks: ecs.status === 'fulfilled' ? ecs.value.tasks : [],
      parameters:
        parameters.status === 'fulfilled' ? parameters.value : undefined,
      metrics:
        metrics.status === 'fulfilled' ? metrics.value.series : undefined,
      logs: logs.status === 'fulfilled' ? logs.value : undefined,
      errors,
      // Without the ECS service there is nothing to judge health by.
      environmentError: service
        ? undefined
        : errors.find(e => e.source === 'ecs'),
      appSecretParameterName: names.appSecretParameterName,
    };
  }

  /** A summary's service series: read ahead in a batch, or read now. */
  private async summaryMetrics(
    ctx: ReadContext,
    project: string,
    range: StatusRange,
  ) {
    const ahead = this.prefetched.take(
      { project, environment: ctx.environment },
      range,
    );
    if (ahead?.status === 'fulfilled') return ahead.value;
    if (ahead?.status === 'rejected') throw ahead.reason;
    return readMetrics(ctx, undefined);
  }

  private finish(
    base: StatusBase,
    now: Date,
    data: StatusData,
  ): EnvironmentStatus {
    const tasks = data.tasks ?? [];
    const findings = data.environmentError
      ? []
      : detectFindings(
          {
            service: data.service,
            tasks,
            parameters: data.parameters,
            metrics: data.metrics,
            appSecretParameterName: data.appSecretParameterName,
          },
          { now },
        );
    return {
      ...base,
      health: healthFromFindings(findings, data.environmentError),
      findings,
      service: data.service,
      tasks,
      parameters: data.parameters ?? [],
      metrics: data.metrics,
      logs: data.logs,
      error: data.environmentError,
      errors: data.errors,
    };
  }
}
