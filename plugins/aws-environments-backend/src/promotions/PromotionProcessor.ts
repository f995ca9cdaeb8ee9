import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PROMOTION_SYSTEM_ACTOR,
  PromotionRequest,
} from '@envplane/plugin-aws-environments-common';
import {
  PromotionDeployResult,
  PromotionDeployer,
  PluginMetrics,
  PromotionInspection,
} from '@envplane/plugin-aws-environments-node';
import { AutoPromotionRequester } from './AutoPromotionRequester';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { AlarmReader } from './AlarmReader';
import { PromotionGateStore } from './PromotionGateStore';
import { PromotionGateVerifier } from './PromotionGateVerifier';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionPath } from './PromotionPath';
import { PromotionRequestStore } from './PromotionRequestStore';
import { keepLeaseRenewed } from './keepLeaseRenewed';

/**
 * The reason recorded for deployments whose backend instance went away when
 * the stack cannot be checked (the deployer has no `inspect`, or it failed).
 */
export const INTERRUPTED_REASON =
  'Interrupted by a backend restart: the backend instance running the deployment stopped before it finished. CloudFormation may still have completed or rolled back the stack; check what runs in the environment before promoting again.';

/** How long a deployment claim holds without renewal, by default. */
export const DEFAULT_LEASE_MS = 60_000;

export interface PromotionProcessorOptions {
  requests: PromotionRequestStore;
  leases: PromotionLeaseStore;
  gates: PromotionGateStore;
  /** Reads the alarms that verification gates name; gates without alarms need none. */
  alarms?: AlarmReader;
  path: PromotionPath;
  deployer: PromotionDeployer;
  stateReader: EnvironmentStateReader;
  notifier: PromotionNotifier;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Identifies this backend instance in claims; unique per process by default. */
  instanceId?: string;
  /**
   * How long a claim holds without renewal. The running instance renews it
   * at a third of this, so only an instance that is gone (or cut off from
   * the database for that long) lets it expire. It bounds how long a
   * request shows `deploying` after its instance died before another one
   * takes it over; a take-over only reads the stack, never deploys again,
   * so a short lease costs no duplicate deployment. Default 60 seconds.
   */
  leaseMs?: number;
  /**
   * How long after a success the backend waits for the environment to be
   * healthy before it gives up on the automatic promotion. Default 15 minutes.
   */
  autoPromotionWindowMs?: number;
  /** Deployments one instance runs at a time. Default 4. */
  maxConcurrentDeployments?: number;
  now?: () => Date;
  /** Records how long deployments take and how they end. */
  metrics?: PluginMetrics;
}

/**
 * The background half of promotions, run by the scheduler every few
 * seconds on whichever replica holds the task. Each pass:
 *
 * 1. reconciles deployments whose claim expired (their instance is gone,
 *    CloudFormation may not be): takes the claim over with a conditional
 *    UPDATE, so one replica does it, and asks the deployer's `inspect` how
 *    the stack stands; a stack still updating stays `deploying` under the
 *    new claim and is checked again on later passes, a finished one closes
 *    the request as succeeded or failed (approved requests that never
 *    started are untouched and simply picked up),
 * 2. checks the verification gates of open requests
 *    (`PromotionGateVerifier`): only a request whose gate passed is
 *    handed out by the next step,
 * 3. claims approved requests with a conditional UPDATE, so of several
 *    replicas exactly one starts each deployment, and runs them in the
 *    background, renewing the claim while they run,
 * 4. opens the requests into `auto` environments (`AutoPromotionRequester`).
 *
 * Deployments outlive the pass that started them: one long production
 * deployment must not hold up every other promotion behind the scheduler's
 * lock.
 */
export class PromotionProcessor {
  readonly instanceId: string;
  private readonly leaseMs: number;
  private readonly maxConcurrent: number;
  private readonly autoPromotions: AutoPromotionRequester;
  private readonly gateVerifier: PromotionGateVerifier;
  private readonly running = new Map<string, Promise<void>>();
  /** Resumed deployments whose stack this instance is checking right now. */
  private readonly checking = new Set<string>();

  private readonly deployDuration?: ReturnType<
    PluginMetrics['createHistogram']
  >;

  constructor(private readonly options: PromotionProcessorOptions) {
    this.deployDuration = options.metrics?.createHistogram(
      'envplane.promotion.duration',
      {
        description:
          'Promotion and rollback deployments, from start to finish, by kind, target environment and outcome',
        unit: 's',
      },
    );
    this.instanceId =
      options.instanceId ??
      `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.maxConcurrent = options.maxConcurrentDeployments ?? 4;
    this.gateVerifier = new PromotionGateVerifier({
      ...options,
      now: options.now ?? (() => new Date()),
    });
    this.autoPromotions = new AutoPromotionRequester({
      ...options,
      windowMs: options.autoPromotionWindowMs ?? 15 * 60_000,
      now: options.now ?? (() => new Date()),
    });
  }

  /** One pass; each step's failure is logged and does not stop the others. */
  async tick(): Promise<void> {
    await this.step('check resumed deployments', () => this.checkResumed());
    await this.step('recover interrupted deployments', () =>
      this.recoverExpiredClaims(),
    );
    await this.step('check verification gates', () =>
      this.gateVerifier.verifyAll(),
    );
    await this.step('start approved promotions', () => this.startApproved());
    await this.step('request automatic promotions', () =>
      this.autoPromotions.settlePending(),
    );
  }

  /** Resolves once the deployments this instance started have finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all(this.running.values());
    }
  }

  private async step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.options.logger.error(
        `Promotions: could not ${name}: ${(error as Error).message}`,
      );
    }
  }

  private async recoverExpiredClaims(): Promise<void> {
    const { leases, deployer, logger } = this.options;
    for (const id of await leases.listExpiredClaimIds()) {
      if (this.running.has(id) || this.checking.has(id)) {
        // Still ours; the renewal failed (e.g. the database was away) and
        // the next one will extend the claim again.
        continue;
      }
      if (!deployer.inspect) {
        await this.failInterrupted(id);
        continue;
      }
      const taken = await leases.takeOverExpiredClaim(
        id,
        this.instanceId,
        this.leaseMs,
      );
      if (!taken) {
        continue; // finished, renewed or taken over by another replica
      }
      logger.warn(
        `Promotion ${id} of ${taken.promotion.entityRef} into ${taken.promotion.to} was left deploying by ${taken.previousClaimer}; checking its stack`,
      );
      await this.reconcile(taken.promotion, taken.previousClaimer);
    }
  }

  /**
   * Checks again the deployments this instance resumed after a restart
   * whose stack was still updating, keeping their claim alive meanwhile.
   */
  private async checkResumed(): Promise<void> {
    const { requests, leases } = this.options;
    if (!this.options.deployer.inspect) {
      return;
    }
    for (const id of await leases.listClaimedIds(this.instanceId)) {
      if (this.running.has(id) || this.checking.has(id)) {
        continue; // deployed here, or checked by an overlapping pass
      }
      if (!(await leases.renewLease(id, this.instanceId, this.leaseMs))) {
        continue;
      }
      const promotion = await requests.get(id);
      if (promotion?.status === 'deploying') {
        await this.reconcile(promotion);
      }
    }
  }

  /**
   * Settles a deployment this instance took over from one that went away,
   * from what its stack says. `previousClaimer` is set on the take-over,
   * not on the later checks of a stack that was still updating.
   */
  private async reconcile(
    promotion: PromotionRequest,
    previousClaimer?: string,
  ): Promise<void> {
    const { requests, deployer, logger } = this.options;
    const { id } = promotion;
    this.checking.add(id);
    try {
      let inspection: PromotionInspection;
      try {
        inspection = await deployer.inspect!({
          project: promotion.project,
          environment: promotion.to,
          image: promotion.image,
        });
      } catch (error) {
        inspection = {
          state: 'failed',
          reason: `${INTERRUPTED_REASON} Checking the stack failed: ${
            (error as Error).message
          }`,
        };
      }
      const claimedBy = previousClaimer
        ? ` (claimed by ${previousClaimer})`
        : '';
      if (inspection.state === 'in_progress') {
        if (previousClaimer) {
          await requests.addProgress(
            id,
            this.instanceId,
            `Resumed after a backend restart; waiting for CloudFormation to finish updating the stack${claimedBy}`,
          );
        }
        return; // checked again on the next pass
      }
      if (inspection.state === 'succeeded') {
        logger.info(
          `Promotion ${id}: the deployment completed while the backend restarted`,
        );
        await this.finish(
          promotion,
          { ok: true },
          `Deployment succeeded: CloudFormation completed it while the backend restarted${claimedBy}`,
        );
        return;
      }
      logger.warn(`Promotion ${id} failed: ${inspection.reason}`);
      await this.finish(
        promotion,
        { ok: false, reason: inspection.reason },
        `${inspection.reason}${claimedBy}`,
      );
    } finally {
      this.checking.delete(id);
    }
  }

  /** Marks an interrupted deployment failed without looking at its stack. */
  private async failInterrupted(id: string): Promise<void> {
    const { leases, notifier, logger } = this.options;
    const failed = await leases.failExpiredClaim(
      id,
      PROMOTION_SYSTEM_ACTOR,
      INTERRUPTED_REASON,
    );
    if (failed) {
      logger.warn(
        `Promotion ${id} of ${failed.entityRef} into ${failed.to} marked failed: its deployment was interrupted`,
      );
      await notifier.statusChanged(failed);
    }
  }

  private async startApproved(): Promise<void> {
    const capacity = this.maxConcurrent - this.running.size;
    if (capacity <= 0) {
      return;
    }
    const { leases } = this.options;
    for (const id of await leases.listApprovedIds(capacity)) {
      const claimed = await leases.claim(id, this.instanceId, this.leaseMs);
      if (!claimed) {
        continue; // another replica claimed it first
      }
      const run = this.execute(claimed).finally(() => this.running.delete(id));
      this.running.set(id, run);
    }
  }

  /** Runs one claimed deployment to its end; never rejects. */
  private async execute(promotion: PromotionRequest): Promise<void> {
    const { requests, leases, deployer, logger } = this.options;
    const { id } = promotion;

    // The deployer offers no hook before it changes the stack, so the claim
    // is confirmed (and its lease extended) right before it is called: a
    // replica that took the claim over meanwhile has already settled the
    // request from the unchanged stack, and deploying now would contradict
    // it. Without that confirmation nothing is deployed or written; an
    // unconfirmed claim that is still ours expires and is reconciled.
    let held: boolean;
    try {
      held = await leases.renewLease(id, this.instanceId, this.leaseMs);
    } catch (error) {
      logger.warn(
        `Promotion ${id}: not deployed, the claim could not be confirmed: ${
          (error as Error).message
        }`,
      );
      return;
    }
    if (!held) {
      logger.warn(
        `Promotion ${id}: not deployed, another backend instance took the claim over before the deployment started`,
      );
      return;
    }

    await this.recordReplacedImage(promotion);

    const stopRenewing = keepLeaseRenewed({
      leases,
      id,
      claimer: this.instanceId,
      leaseMs: this.leaseMs,
      logger,
    });

    // Progress is written in the order it arrives, without making the
    // deployer wait for the database.
    let progress = Promise.resolve();
    const onProgress = (message: string) => {
      progress = progress
        .then(() => requests.addProgress(id, this.instanceId, message))
        .catch(error =>
          logger.warn(
            `Promotion ${id}: progress not recorded: ${error.message}`,
          ),
        );
    };

    let outcome: PromotionDeployResult;
    try {
      outcome = await deployer.deploy({
        project: promotion.project,
        environment: promotion.to,
        image: promotion.image,
        promotionId: id,
        onProgress,
      });
    } catch (error) {
      outcome = {
        ok: false,
        reason: `The deployment could not run: ${(error as Error).message}`,
      };
    } finally {
      stopRenewing();
    }
    await progress;

    try {
      await this.finish(promotion, outcome);
    } catch (error) {
      // The claim then expires and the next pass marks the request failed.
      logger.error(
        `Promotion ${id}: could not record the outcome (${
          outcome.ok ? 'succeeded' : outcome.reason
        }): ${(error as Error).message}`,
      );
    }
  }

  /**
   * What runs in the target before the deployment is what a later rollback
   * returns to. Without it (the status could not be read) a rollback falls
   * back to the success before this one; the deployment goes ahead.
   */
  private async recordReplacedImage(promotion: PromotionRequest) {
    const { requests, stateReader, auth, logger } = this.options;
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const { image } = await stateReader.getEnvironmentState(
        promotion.entityRef,
        promotion.to,
        credentials,
        { fresh: true },
      );
      if (image) {
        await requests.recordReplacedImage(promotion.id, image);
      }
    } catch (error) {
      logger.warn(
        `Promotion ${promotion.id}: could not read what runs in ${
          promotion.to
        } before deploying: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Reads the target fresh after a successful deployment, which also
   * refreshes the cached status every replica serves: pages show the new
   * image at once instead of up to a cache TTL later, and the automatic
   * step after it sees it on its first check.
   */
  private async refreshStatus(promotion: PromotionRequest): Promise<void> {
    const { stateReader, auth, logger } = this.options;
    try {
      await stateReader.getEnvironmentState(
        promotion.entityRef,
        promotion.to,
        await auth.getOwnServiceCredentials(),
        { fresh: true },
      );
    } catch (error) {
      logger.warn(
        `Promotion ${promotion.id}: could not refresh the status of ${
          promotion.to
        }: ${(error as Error).message}`,
      );
    }
  }

  private async finish(
    promotion: PromotionRequest,
    outcome: PromotionDeployResult,
    message?: string,
  ): Promise<void> {
    const { requests, leases, notifier, logger } = this.options;
    // A rollback undoes; it never carries its image further down the path.
    const autoUntil =
      outcome.ok && promotion.kind !== 'rollback'
        ? this.autoPromotions.deadlineAfter(promotion.to)
        : undefined;
    if (outcome.ok) {
      // Before the request shows succeeded, so whoever sees that also sees
      // the new image.
      await this.refreshStatus(promotion);
    }
    const finished = await leases.finish({
      id: promotion.id,
      claimer: this.instanceId,
      outcome,
      autoPromotionUntil: autoUntil,
      message,
    });
    if (!finished) {
      // Another instance gave up on this claim or took it over; keep the
      // truth in the history.
      const current = await requests.get(promotion.id).catch(() => undefined);
      const after =
        current?.status === 'failed'
          ? 'after this request had been marked failed'
          : `after another backend instance had taken this request over (now ${
              current?.status ?? 'unknown'
            })`;
      const late = outcome.ok
        ? `The deployment finished successfully ${after}; ${promotion.to} now runs ${promotion.image}`
        : `The deployment finished ${after}: ${outcome.reason}`;
      logger.warn(`Promotion ${promotion.id}: ${late}`);
      await requests.note(promotion.id, this.instanceId, 'progress', late);
      return;
    }
    const seconds =
      (Date.parse(finished.finishedAt ?? '') -
        Date.parse(finished.startedAt ?? '')) /
      1000;
    this.deployDuration?.record(
      Number.isFinite(seconds) ? Math.max(0, seconds) : 0,
      {
        kind: promotion.kind,
        environment: promotion.to,
        outcome: outcome.ok ? 'succeeded' : 'failed',
      },
    );
    await notifier.statusChanged(finished);
    if (autoUntil) {
      // Usually not healthy yet right after the rollout; later passes retry.
      await this.autoPromotions.settle(finished, autoUntil);
    }
  }
}
