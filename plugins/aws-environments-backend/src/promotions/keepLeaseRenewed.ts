import { LoggerService } from '@backstage/backend-plugin-api';
import { PromotionLeaseStore } from './PromotionLeaseStore';

/**
 * Renews `claimer`'s lease on deployment `id` every third of `leaseMs` (at
 * least every second) until the returned function is called, so the claim
 * only expires when this instance is gone. A failed or lost renewal is
 * logged, not thrown: the deployment carries on, and whoever takes the
 * claim over records what happened.
 */
export function keepLeaseRenewed(options: {
  leases: PromotionLeaseStore;
  id: string;
  claimer: string;
  leaseMs: number;
  logger: LoggerService;
}): () => void {
  const { leases, id, claimer, leaseMs, logger } = options;
  // One renewal at a time: while the database is slow or away, ticks are
  // skipped instead of piling up queries behind each other.
  let renewing = false;
  const renewal = setInterval(() => {
    if (renewing) {
      return;
    }
    renewing = true;
    leases
      .renewLease(id, claimer, leaseMs)
      .then(
        stillHeld => {
          if (!stillHeld) {
            logger.warn(
              `Promotion ${id}: this instance lost its claim while deploying`,
            );
          }
        },
        error =>
          logger.warn(
            `Promotion ${id}: could not renew the claim: ${error.message}`,
          ),
      )
      .finally(() => {
        renewing = false;
      });
  }, Math.max(1000, Math.floor(leaseMs / 3)));
  renewal.unref?.();
  return () => clearInterval(renewal);
}
