import { LoggerService, AuthService } from '@backstage/backend-plugin-api';
import { PromotionRequest } from '@envplane/plugin-aws-environments-common';
import {
  PromotionDeployResult,
  PromotionDeployer,
} from '@envplane/plugin-aws-environments-node';
import { DeploymentFinisher } from './DeploymentFinisher';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionRequestStore } from './PromotionRequestStore';
import { keepLeaseRenewed } from './keepLeaseRenewed';

/**
 * Runs the deployments that {@link PromotionProcessor} claimed for this
 * backend instance, one claimed request at a time, renewing the claim
 * while the deployer works.
 */
export class DeploymentRunner {
  constructor(
    private readonly options: {
      requests: PromotionRequestStore;
      leases: PromotionLeaseStore;
      deployer: PromotionDeployer;
      stateReader: EnvironmentStateReader;
      auth: AuthService;
      logger: LoggerService;
      instanceId: string;
      leaseMs: number;
      finisher: DeploymentFinisher;
    },
  ) {}

  /** Runs one claimed deployment to its end; never rejects. */
  async execute(promotion: PromotionRequest): Promise<void> {
    const {
      requests,
      leases,
      deployer,
      logger,
      instanceId,
      leaseMs,
      finisher,
    } = this.options;
    const { id } = promotion;

    // The deployer offers no hook before it changes the stack, so the claim
    // is confirmed (and its lease extended) right before it is called: a
    // replica that took the claim over meanwhile has already settled the
    // request from the unchanged stack, and deploying now would contradict
    // it. Without that confirmation nothing is deployed or written; an
    // unconfirmed claim that is still ours expires and is reconciled.
    let held: boolean;
    try {
      held = await leases.renewLease(id, instanceId, leaseMs);
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
      claimer: instanceId,
      leaseMs,
      logger,
    });

    // Progress is written in the order it arrives, without making the
    // deployer wait for the database.
    let progress = Promise.resolve();
    const onProgress = (message: string) => {
      progress = progress
        .then(() => requests.addProgress(id, instanceId, message))
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
      await finisher.finish(promotion, outcome);
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
}
