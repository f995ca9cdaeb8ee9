import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AwsEnvironmentConfig,
  EnvironmentDrift,
  environmentResourceNames,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import pLimit from 'p-limit';
import { toEnvironmentError } from '../aws/toEnvironmentError';
import { DriftOptions } from './driftOptions';
import { DriftKey, DriftStore, StoredDrift, driftId } from './DriftStore';
import { DriftReading, readDrift } from './readDrift';

/** Stacks checked at a time by the scheduled run. */
const SCHEDULED_CONCURRENCY = 2;

/** What asking for a check led to. */
export type DriftStart =
  | {
      started: true;
      /** The environment as it is now: checking. */
      drift: EnvironmentDrift;
      /** Settles when the result is stored; never rejects. */
      done: Promise<void>;
    }
  | { started: false; drift: EnvironmentDrift };

/**
 * Runs drift checks of (project, environment) stacks and shows their
 * results. The stack and its account and region come from the project
 * name and config only. A check runs in the background of the replica
 * that claimed it; the store tells every replica how it went.
 */
export class DriftChecker {
  constructor(
    private readonly deps: {
      store: DriftStore;
      clients: AwsClientFactory;
      environments: () => AwsEnvironmentConfig[];
      logger: LoggerService;
      options: DriftOptions;
      now?: () => Date;
    },
  ) {}

  /** The rate limit, for messages. */
  get minIntervalMinutes(): number {
    return Math.round(this.deps.options.minIntervalMs / 60_000);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Starts a check unless the rate limit or a running check stops it;
   * either way answers with the environment's drift as it now stands.
   */
  async start(key: DriftKey): Promise<DriftStart> {
    const { store, options } = this.deps;
    const claim = await store.claim(key, options);
    if (!claim.claimed) {
      return { started: false, drift: this.view(key, claim.current) };
    }
    const done = this.run(key, claim.startedAt);
    const [current] = (await store.read([key])).values();
    return { started: true, drift: this.view(key, current), done };
  }

  /**
   * The scheduled run: every environment whose last check is not within
   * the rate limit, a few stacks at a time. Resolves when all are stored.
   */
  async checkAll(keys: DriftKey[]): Promise<number> {
    const limit = pLimit(SCHEDULED_CONCURRENCY);
    const started = await Promise.all(
      keys.map(key =>
        limit(async () => {
          const result = await this.start(key);
          if (result.started) {
            await result.done;
          }
          return result.started;
        }),
      ),
    );
    return started.filter(Boolean).length;
  }

  /** The drift of `keys` as stored, in the order given. */
  async read(keys: DriftKey[]): Promise<EnvironmentDrift[]> {
    const stored = await this.deps.store.read(keys);
    return keys.map(key => this.view(key, stored.get(driftId(key))));
  }

  private async run(key: DriftKey, startedAt: Date): Promise<void> {
    const { store, logger } = this.deps;
    const label = `${key.project}/${key.environment}`;
    let reading: DriftReading;
    try {
      reading = await this.detect(key);
    } catch (error) {
      // detect() turns AWS failures into readings; this is a bug, and
      // still must not leave the environment "checking" until it is stale.
      reading = {
        status: 'failed',
        driftedResourceCount: 0,
        resources: [],
        error: `Drift detection of ${label} failed unexpectedly`,
      };
      logger.error(
        `Drift check of ${label} failed unexpectedly`,
        error instanceof Error ? error : undefined,
      );
    }
    try {
      const stored = await store.finish(key, startedAt, reading);
      // Counts and errors only: differences can quote property values.
      const outcome =
        reading.status === 'drifted'
          ? `drifted (${reading.driftedResourceCount} resources)`
          : reading.status;
      if (reading.status === 'failed') {
        logger.warn(`Drift check of ${label}: ${reading.error}`);
      } else {
        logger.info(
          `Drift check of ${label}: ${outcome}${
            stored ? '' : ' (not stored: a newer check has started)'
          }`,
        );
      }
    } catch (error) {
      logger.error(
        `Storing the drift check of ${label} failed: ${
          (error as Error).message
        }`,
      );
    }
  }

  private async detect(key: DriftKey): Promise<DriftReading> {
    const environment = this.deps
      .environments()
      .find(e => e.name === key.environment);
    const { stackName } = environmentResourceNames(
      key.project,
      key.environment,
    );
    if (!environment) {
      return {
        status: 'failed',
        driftedResourceCount: 0,
        resources: [],
        error: `environment "${key.environment}" is no longer configured`,
      };
    }
    let cloudformation: CloudFormationClient;
    try {
      cloudformation = await this.deps.clients.client(
        CloudFormationClient,
        environment,
      );
    } catch (error) {
      return {
        status: 'failed',
        driftedResourceCount: 0,
        resources: [],
        error: toEnvironmentError(
          error,
          'ecs',
          `AWS credentials for account ${environment.accountId}`,
        ).message,
      };
    }
    return readDrift(cloudformation, stackName, this.deps.options.read);
  }

  /** What callers see of a stored row (or of none). */
  view(key: DriftKey, stored: StoredDrift | undefined): EnvironmentDrift {
    const { minIntervalMs, staleAfterMs } = this.deps.options;
    const now = this.now().getTime();
    const { stackName } = environmentResourceNames(
      key.project,
      key.environment,
    );
    const since = stored?.checkingSince?.getTime();
    const running = since !== undefined && now - since < staleAfterMs;
    const died = since !== undefined && !running;
    const startedAt = stored?.startedAt;
    const next = Math.max(
      startedAt ? startedAt.getTime() + minIntervalMs : 0,
      running ? since + staleAfterMs : 0,
    );
    let status: EnvironmentDrift['status'] =
      stored?.status ?? (died ? 'failed' : 'not_checked');
    let error = stored?.error;
    if (running) {
      status = 'checking';
    } else if (died && !stored?.status) {
      error = `The check started at ${stored?.checkingSince?.toISOString()} did not finish; its backend replica may have stopped`;
    }
    return {
      environment: key.environment,
      stackName,
      status,
      driftedResourceCount: stored?.driftedResourceCount ?? 0,
      resources: stored?.resources ?? [],
      checkedAt: stored?.checkedAt?.toISOString(),
      startedAt: startedAt?.toISOString(),
      error,
      nextCheckAllowedAt: next > now ? new Date(next).toISOString() : undefined,
    };
  }
}
