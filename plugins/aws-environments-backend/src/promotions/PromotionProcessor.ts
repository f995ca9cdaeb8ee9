import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PROMOTION_SYSTEM_ACTOR,
  PromotionRequest,
} from '@envplane/plugin-aws-environments-common';
import {
  PromotionDeployer,
  PluginMetrics,
  PromotionInspection,
} from '@envplane/plugin-aws-environments-node';
import { AutoPromotionRequester } from './AutoPromotionRequester';
import { DeploymentFinisher } from './DeploymentFinisher';
import { DeploymentRunner } from './DeploymentRunner';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { AlarmReader } from './AlarmReader';
import { PromotionGateStore } from './PromotionGateStore';
import { PromotionGateVerifier } from './PromotionGateVerifier';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionPath } from './PromotionPath';
import { PromotionRequestStore } from './PromotionRequestStore';

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
  private readonly finisher: DeploymentFinisher;
  private readonly deployments: DeploymentRunner;

  constructor(private readonly options: PromotionProcessorOptions) {
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
    this.finisher = new DeploymentFinisher({
      ...options,
      instanceId: this.instanceId,
      autoPromotions: this.autoPromotions,
    });
    this.deployments = new DeploymentRunner({
      ...options,
      instanceId: this.instanceId,
      leaseMs: this.leaseMs,
      finisher: this.finisher,
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
        await this.finisher.finish(
          promotion,
          { ok: true },
          `Deployment succeeded: CloudFormation completed it while the backend restarted${claimedBy}`,
        );
        return;
      }
      logger.warn(`Promotion ${id} failed: ${inspection.reason}`);
      await this.finisher.finish(
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
      const run = this.deployments
        .execute(claimed)
        .finally(() => this.running.delete(id));
      this.running.set(id, run);
    }
  }
}
