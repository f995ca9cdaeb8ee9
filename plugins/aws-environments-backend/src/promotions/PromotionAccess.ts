import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PromotionRequest,
  awsEnvironmentsPromotionApprovePermission,
  awsEnvironmentsPromotionCreatePermission,
} from '@envplane/plugin-aws-environments-common';
import { normalizeEntityRef } from './normalizeEntityRef';
import { promotionResourceRef } from './promotionPermissions';
import { PromotionPath } from './PromotionPath';
import { PromotionRequestStore } from './PromotionRequestStore';

/**
 * What a caller of {@link PromotionService} may see and do. Entities are
 * read with the caller's credentials, so the catalog's visibility rules
 * apply, and a promotion is only as visible as its entity.
 */
export class PromotionAccess {
  constructor(
    private readonly deps: {
      requests: PromotionRequestStore;
      path: PromotionPath;
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  async checkReviewer(
    promotion: PromotionRequest,
    ownershipEntityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.authorizeOrThrow(
      credentials,
      awsEnvironmentsPromotionApprovePermission,
      promotionResourceRef(promotion.id),
      `You may not review promotions of ${promotion.entityRef} into ${promotion.to} (permission ${awsEnvironmentsPromotionApprovePermission.name}).`,
    );
    const approvers = this.deps.path
      .policy(promotion.to)
      .approvers.map(ref => normalizeEntityRef(ref, 'group'));
    if (approvers.length === 0) {
      return;
    }
    const mine = new Set(
      ownershipEntityRefs.map(ref => normalizeEntityRef(ref, 'user')),
    );
    if (!approvers.some(ref => mine.has(ref))) {
      throw new NotAllowedError(
        `Only ${approvers.join(', ')} may review promotions into ${
          promotion.to
        }, and you are not one of them.`,
      );
    }
  }

  async authorizeOrThrow(
    credentials: BackstageCredentials,
    permission:
      | typeof awsEnvironmentsPromotionCreatePermission
      | typeof awsEnvironmentsPromotionApprovePermission,
    resourceRef: string,
    message: string,
  ): Promise<void> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(message);
    }
  }

  async visiblePromotion(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const promotion = await this.deps.requests.get(id);
    if (!promotion) {
      throw new NotFoundError(`Promotion ${id} not found`);
    }
    // A promotion of an entity the caller cannot see does not exist for them.
    try {
      await this.visibleEntity(promotion.entityRef, credentials);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`Promotion ${id} not found`);
      }
      throw error;
    }
    return promotion;
  }

  async visibleEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }
    return entity;
  }

  async visibleRefs(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const unique = [...new Set(entityRefs)];
    if (unique.length === 0) {
      return new Set();
    }
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: unique,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    return new Set(unique.filter((_, index) => items[index]));
  }
}
