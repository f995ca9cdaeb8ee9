import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  PromotionRequest,
  PromotionStatus,
} from '@envplane/plugin-aws-environments-common';
import { normalizeEntityRef } from './normalizeEntityRef';

const LINK = '/aws-environments';
const TOPIC = 'aws-environments-promotion';

const OUTCOME_TITLES: Partial<Record<PromotionStatus, string>> = {
  approved: 'approved',
  rejected: 'rejected',
  succeeded: 'succeeded',
  failed: 'failed',
};

/**
 * Tells reviewers that a request waits for them, and requesters what became
 * of theirs. Notifications are a courtesy: when the notifications backend is
 * not installed (or fails), promotions carry on and nothing is thrown.
 */
export class PromotionNotifier {
  private warned = false;

  constructor(
    private readonly deps: {
      notifications?: NotificationService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /**
   * Notifies who can review: the target's configured approvers, or else
   * the entity's owner. The requester is left out; they cannot approve.
   */
  async reviewNeeded(
    promotion: PromotionRequest,
    approvers: string[],
  ): Promise<void> {
    const recipients =
      approvers.length > 0
        ? approvers.map(ref => normalizeEntityRef(ref, 'group'))
        : await this.ownersOf(promotion);
    if (recipients.length === 0) {
      this.deps.logger.warn(
        `Promotion ${promotion.id} waits for review but ${promotion.entityRef} has no owner and ${promotion.to} no approvers to notify`,
      );
      return;
    }
    const requester = requesterOf(promotion);
    await this.send({
      recipients: {
        type: 'entity',
        entityRef: recipients,
        ...(requester ? { excludeEntityRef: requester } : {}),
      },
      payload: {
        title: `Review: ${verbOf(promotion)} ${nameOf(promotion.entityRef)} ${
          promotion.kind === 'rollback' ? 'in' : 'to'
        } ${promotion.to}`,
        description: `${promotion.requestedBy}${
          promotion.onBehalfOf ? ` (for ${promotion.onBehalfOf})` : ''
        } asks to ${verbOf(promotion)} ${whatOf(promotion)}.`,
        link: LINK,
        topic: TOPIC,
        scope: `promotion:${promotion.id}:review`,
      },
    });
  }

  /** Tells the requester about a decision or a deployment outcome. */
  async statusChanged(promotion: PromotionRequest): Promise<void> {
    const requester = requesterOf(promotion);
    const outcome = OUTCOME_TITLES[promotion.status];
    if (!requester || !outcome) {
      return;
    }
    const detail = detailOf(promotion);
    await this.send({
      recipients: { type: 'entity', entityRef: requester },
      payload: {
        title: `${
          promotion.kind === 'rollback' ? 'Rollback' : 'Promotion'
        } of ${nameOf(promotion.entityRef)} ${
          promotion.kind === 'rollback' ? 'in' : 'to'
        } ${promotion.to} ${outcome}`,
        description: `${whatOf(promotion)}.${detail}`,
        link: LINK,
        severity: promotion.status === 'failed' ? 'high' : 'normal',
        topic: TOPIC,
        // One notification per request, updated as it moves on.
        scope: `promotion:${promotion.id}`,
      },
    });
  }

  private async send(
    options: Parameters<NotificationService['send']>[0],
  ): Promise<void> {
    const { notifications, logger } = this.deps;
    if (!notifications) {
      return;
    }
    try {
      await notifications.send(options);
    } catch (error) {
      // Typically the notifications backend is not installed; say so once
      // rather than on every promotion.
      const message = `Promotion notification not sent: ${
        (error as Error).message
      }`;
      if (this.warned) {
        logger.debug(message);
      } else {
        this.warned = true;
        logger.warn(message);
      }
    }
  }

  private async ownersOf(promotion: PromotionRequest): Promise<string[]> {
    try {
      const entity = await this.deps.catalog.getEntityByRef(
        promotion.entityRef,
        { credentials: await this.deps.auth.getOwnServiceCredentials() },
      );
      return entity ? ownerRefs(entity) : [];
    } catch (error) {
      this.deps.logger.warn(
        `Could not read the owner of ${promotion.entityRef}: ${
          (error as Error).message
        }`,
      );
      return [];
    }
  }
}

/** Owner refs from relations, or from `spec.owner` when relations are not processed yet. */
function ownerRefs(entity: Entity): string[] {
  const fromRelations = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (fromRelations.length > 0) {
    return fromRelations;
  }
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    return [];
  }
  return [
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ),
  ];
}

/** What the requester needs beyond the outcome: the reason or the reviewer's comment. */
function detailOf(promotion: PromotionRequest): string {
  if (promotion.status === 'failed') {
    return ` ${promotion.failureReason ?? ''}`;
  }
  if (promotion.status !== 'succeeded' && promotion.decision?.comment) {
    return ` Comment: ${promotion.decision.comment}`;
  }
  return '';
}

/** The person behind a request: the user, or for automatic ones the user behind the trigger. */
function requesterOf(promotion: PromotionRequest): string | undefined {
  const ref = promotion.onBehalfOf ?? promotion.requestedBy;
  return ref.startsWith('user:') ? ref : undefined;
}

function verbOf(promotion: PromotionRequest): string {
  return promotion.kind === 'rollback' ? 'roll back' : 'promote';
}

function whatOf(promotion: PromotionRequest): string {
  return promotion.kind === 'rollback'
    ? `${promotion.to} to ${promotion.image}`
    : `${promotion.image} from ${promotion.from} to ${promotion.to}`;
}

function nameOf(entityRef: string): string {
  return parseEntityRef(entityRef).name;
}
