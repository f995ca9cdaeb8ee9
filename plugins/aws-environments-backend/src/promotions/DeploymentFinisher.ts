import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { PromotionRequest } from '@envplane/plugin-aws-environments-common';
import {
  PluginMetrics,
  PromotionDeployResult,
} from '@envplane/plugin-aws-environments-node';
import { AutoPromotionRequester } from './AutoPromotionRequester';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionRequestStore } from './PromotionRequestStore';

/**
 * Records how a deployment ended, whether this instance ran it or settled
 * it from the stack after a restart: closes the claimed request, or notes
 * a late outcome when the claim was lost, then notifies and starts the
 * automatic promotion that may follow.
 */
export class DeploymentFinisher {
  private readonly deployDuration?: ReturnType<
    PluginMetrics['createHistogram']
  >;

  constructor(
    private readonly options: {
      requests: PromotionRequestStore;
      leases: PromotionLeaseStore;
      stateReader: EnvironmentStateReader;
      notifier: PromotionNotifier;
      auth: AuthService;
      logger: LoggerService;
      metrics?: PluginMetrics;
      instanceId: string;
      autoPromotions: AutoPromotionRequester;
    },
  ) {
    this.deployDuration = options.metrics?.createHistogram(
      'envplane.promotion.duration',
      {
        description:
          'Promotion and rollback deployments, from start to finish, by kind, target environment and outcome',
        unit: 's',
      },
    );
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

  async finish(
    promotion: PromotionRequest,
    outcome: PromotionDeployResult,
    message?: string,
  ): Promise<void> {
    const { requests, leases, notifier, logger, instanceId, autoPromotions } =
      this.options;
    // A rollback undoes; it never carries its image further down the path.
    const autoUntil =
      outcome.ok && promotion.kind !== 'rollback'
        ? autoPromotions.deadlineAfter(promotion.to)
        : undefined;
    if (outcome.ok) {
      // Before the request shows succeeded, so whoever sees that also sees
      // the new image.
      await this.refreshStatus(promotion);
    }
    const finished = await leases.finish({
      id: promotion.id,
      claimer: instanceId,
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
      await requests.note(promotion.id, instanceId, 'progress', late);
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
      await autoPromotions.settle(finished, autoUntil);
    }
  }
}
