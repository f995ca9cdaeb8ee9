import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PROMOTION_SYSTEM_ACTOR,
  PromotionRequest,
  projectOf,
} from '@envplane/plugin-aws-environments-common';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionPath } from './PromotionPath';
import { NewPromotion, PromotionRequestStore } from './PromotionRequestStore';

export interface AutoPromotionRequesterOptions {
  requests: PromotionRequestStore;
  path: PromotionPath;
  stateReader: EnvironmentStateReader;
  notifier: PromotionNotifier;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** How long after a success to wait for a healthy environment. */
  windowMs: number;
  now: () => Date;
}

/**
 * The rule for `auto` environments: after a promotion succeeds into an
 * environment whose next one promotes automatically, the next request
 * opens by itself once the environment runs the promoted image and is
 * healthy. Each success is settled exactly once, by creating that request
 * or by recording in its history why not.
 */
export class AutoPromotionRequester {
  constructor(private readonly options: AutoPromotionRequesterOptions) {}

  /**
   * Until when to wait for a follow-up after a success into `environment`;
   * undefined when the environment after it is not promoted automatically.
   */
  deadlineAfter(environment: string): Date | undefined {
    const next = this.options.path.next(environment);
    return next?.promotion.trigger === 'auto'
      ? new Date(this.options.now().getTime() + this.options.windowMs)
      : undefined;
  }

  /** Settles what the previous passes could not yet. */
  async settlePending(): Promise<void> {
    const pending = await this.options.requests.listPendingAutoPromotions();
    for (const { promotion, until } of pending) {
      await this.settle(promotion, until);
    }
  }

  /**
   * Requests the promotion into the `auto` environment after `succeeded`
   * once its target runs the promoted image and is healthy; gives up
   * visibly when that does not happen before `until`.
   */
  async settle(succeeded: PromotionRequest, until: Date): Promise<void> {
    const { path, notifier, catalog, auth, stateReader } = this.options;
    const from = succeeded.to;
    const next = path.next(from);
    if (!next || next.promotion.trigger !== 'auto') {
      await this.record(succeeded.id, {
        skip: `Not requested automatically: the environment after ${from} is no longer promoted automatically`,
      });
      return;
    }
    const credentials = await auth.getOwnServiceCredentials();
    const entity = await catalog.getEntityByRef(succeeded.entityRef, {
      credentials,
    });
    const environments = entity
      ? projectOf(entity, path.names()).environments
      : [];
    if (!environments.includes(next.name)) {
      await this.record(succeeded.id, {
        skip: `Not requested automatically: ${succeeded.entityRef} does not run in ${next.name}`,
      });
      return;
    }

    const state = await stateReader
      .getEnvironmentState(succeeded.entityRef, from, credentials)
      .catch(error => ({
        image: undefined,
        health: 'unknown' as const,
        error: (error as Error).message,
      }));
    const ready = state.health === 'healthy' && state.image === succeeded.image;
    if (!ready) {
      if (this.options.now() > until) {
        await this.record(succeeded.id, {
          skip: `Not requested automatically: ${from} was not healthy with ${
            succeeded.image
          } in time (health ${state.health}, running ${
            state.image ?? 'nothing'
          }); request the promotion to ${next.name} by hand once it is`,
        });
      }
      return; // checked again on the next pass
    }

    const settled = await this.record(succeeded.id, {
      create: {
        entityRef: succeeded.entityRef,
        project: succeeded.project,
        from,
        to: next.name,
        image: succeeded.image,
        gate: path.gate(succeeded.project, from, next.name),
        trigger: 'auto',
        requestedBy: PROMOTION_SYSTEM_ACTOR,
        onBehalfOf: succeeded.onBehalfOf ?? succeeded.requestedBy,
        triggeredBy: succeeded.id,
        reviewRequired: next.promotion.reviewRequired,
      },
    });
    if (settled && 'created' in settled) {
      this.options.logger.info(
        `Promotion ${settled.created.id} of ${succeeded.entityRef} into ${next.name} requested automatically`,
      );
      if (settled.created.status === 'pending_review') {
        await notifier.reviewNeeded(settled.created, next.promotion.approvers);
      }
    }
  }

  /**
   * Settles the follow-up of `parentId` in one transaction: marks it settled
   * (of several replicas one wins; the others get undefined) and either
   * creates the request or notes why not in the parent's history.
   */
  private async record(
    parentId: string,
    outcome: { create: NewPromotion } | { skip: string },
  ): Promise<{ created: PromotionRequest } | { skipped: string } | undefined> {
    const actor = PROMOTION_SYSTEM_ACTOR;
    return this.options.requests.transaction(async requests => {
      const won = await requests.settleAutoPromotion(
        parentId,
        'create' in outcome ? 'created' : 'skipped',
      );
      if (!won) {
        return undefined;
      }
      if ('skip' in outcome) {
        await requests.note(
          parentId,
          actor,
          'auto_promotion_skipped',
          outcome.skip,
        );
        return { skipped: outcome.skip };
      }
      const request = outcome.create;
      const open = await requests.getOpen(request.project, request.to);
      if (open) {
        // Someone asked for it already; the open request stands.
        const reason = `Not requested automatically: ${request.to} already has an open promotion (${open.id}, ${open.status})`;
        await requests.note(parentId, actor, 'auto_promotion_skipped', reason);
        return { skipped: reason };
      }
      const created = await requests.insert(request, {
        message: `Requested automatically after ${parentId} succeeded in ${request.from} and ${request.from} was healthy`,
      });
      await requests.note(
        parentId,
        actor,
        'auto_promotion_requested',
        `Requested promotion ${created.id} into ${request.to}`,
      );
      return { created };
    });
  }
}
