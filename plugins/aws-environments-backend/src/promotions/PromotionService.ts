import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CreatePromotionRequest,
  CreateRollbackRequest,
  DeliveryMetricsResponse,
  PromotionDetails,
  PromotionRequest,
  PromotionStatus,
  PromotionSummaryResponse,
  awsEnvironmentsPromotionCreatePermission,
} from '@envplane/plugin-aws-environments-common';
import { parseEntityRefInput } from './parseEntityRefInput';
import { promotableProject } from './promotableProject';
import { PromotionAccess } from './PromotionAccess';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionPath } from './PromotionPath';
import { PromotionRequestStore } from './PromotionRequestStore';
import { PromotionSummaryQuery } from './PromotionSummaryQuery';
import { RollbackTargetQuery } from './RollbackTargetQuery';
import { DeliveryMetricsQuery } from './DeliveryMetricsQuery';

/**
 * The caller-facing side of promotions: every request is checked against
 * the promotion path, the catalog (with the caller's credentials, so
 * visibility rules apply), permissions and what actually runs, before
 * anything is written. A rejected call changes nothing.
 */
export class PromotionService {
  private readonly access: PromotionAccess;

  constructor(
    private readonly deps: {
      requests: PromotionRequestStore;
      summaries: PromotionSummaryQuery;
      rollbacks: RollbackTargetQuery;
      metrics: DeliveryMetricsQuery;
      path: PromotionPath;
      catalog: CatalogService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      stateReader: EnvironmentStateReader;
      notifier: PromotionNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.access = new PromotionAccess(deps);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async create(
    input: CreatePromotionRequest,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const { path, requests, stateReader } = this.deps;
    const { from, to } = input;
    if (!path.has(from)) {
      throw new InputError(
        `from: "${from}" is not a configured environment; use one of ${path
          .names()
          .join(', ')}`,
      );
    }
    const next = path.next(from);
    if (!next) {
      throw new InputError(
        `from: "${from}" is the last environment of the promotion path; there is nothing to promote it to`,
      );
    }
    if (to !== next.name) {
      throw new InputError(
        `to: "${to}" is not the environment after "${from}"; promotions go one step at a time, from "${from}" to "${next.name}"`,
      );
    }

    const entityRef = parseEntityRefInput(input.entityRef, 'entityRef');
    const entity = await this.access.visibleEntity(entityRef, credentials);
    await this.access.authorizeOrThrow(
      credentials,
      awsEnvironmentsPromotionCreatePermission,
      entityRef,
      `You may not request promotions of ${entityRef} (permission ${awsEnvironmentsPromotionCreatePermission.name}).`,
    );

    const { project, environments } = promotableProject(
      entity,
      entityRef,
      path.names(),
    );
    for (const [field, env] of [
      ['from', from],
      ['to', to],
    ]) {
      if (!environments.includes(env)) {
        throw new InputError(
          `${field}: ${entityRef} does not run in "${env}"; its environments are ${
            environments.join(', ') || 'none'
          }`,
        );
      }
    }

    // What runs now, not what a viewer saw up to a cache TTL ago: a request
    // made right after a deployment must promote the new image.
    const state = await stateReader.getEnvironmentState(
      entityRef,
      from,
      credentials,
      { fresh: true },
    );
    if (!state.image) {
      throw new InputError(
        `from: no image is running in ${from} for ${entityRef}, so there is nothing to promote`,
      );
    }
    if (input.image !== undefined && input.image !== state.image) {
      throw new InputError(
        `image: "${input.image}" is not running in ${from} (it runs "${state.image}"); only what runs in the source environment can be promoted`,
      );
    }

    const { userEntityRef } = await this.deps.userInfo.getUserInfo(credentials);
    const policy = path.policy(to);
    const created = await requests.insert({
      entityRef,
      project,
      from,
      to,
      image: state.image,
      gate: path.gate(project, from, to),
      trigger: 'manual',
      requestedBy: userEntityRef,
      reviewRequired: policy.reviewRequired,
    });
    if (created.status === 'pending_review') {
      await this.deps.notifier.reviewNeeded(created, policy.approvers);
    }
    return created;
  }

  /**
   * Asks to redeploy into an environment the image that ran there before
   * its last successful deployment, under that environment's review policy.
   * The image comes from the history ({@link RollbackTargetQuery}), never
   * from the caller; an open request into the environment (a deployment
   * waiting or running) refuses it, as it would refuse a promotion.
   */
  async rollback(
    input: CreateRollbackRequest,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const { path, requests, rollbacks } = this.deps;
    const { environment } = input;
    if (!path.has(environment)) {
      throw new InputError(
        `environment: "${environment}" is not a configured environment; use one of ${path
          .names()
          .join(', ')}`,
      );
    }
    const entityRef = parseEntityRefInput(input.entityRef, 'entityRef');
    const entity = await this.access.visibleEntity(entityRef, credentials);
    await this.access.authorizeOrThrow(
      credentials,
      awsEnvironmentsPromotionCreatePermission,
      entityRef,
      `You may not roll back ${entityRef} (permission ${awsEnvironmentsPromotionCreatePermission.name}).`,
    );
    const { project, environments } = promotableProject(
      entity,
      entityRef,
      path.names(),
    );
    if (!environments.includes(environment)) {
      throw new InputError(
        `environment: ${entityRef} does not run in "${environment}"; its environments are ${
          environments.join(', ') || 'none'
        }`,
      );
    }
    const target = await rollbacks.target(project, environment);
    if (!target) {
      throw new ConflictError(
        `Nothing to roll back to in ${environment}: the history of project ${project} has no successful deployment there that replaced another image`,
      );
    }

    const { userEntityRef } = await this.deps.userInfo.getUserInfo(credentials);
    const policy = path.policy(environment);
    const created = await requests.insert({
      entityRef,
      project,
      from: environment,
      to: environment,
      image: target.image,
      kind: 'rollback',
      rollbackOf: target.undoes,
      trigger: 'manual',
      requestedBy: userEntityRef,
      reviewRequired: policy.reviewRequired,
    });
    if (created.status === 'pending_review') {
      await this.deps.notifier.reviewNeeded(created, policy.approvers);
    }
    return created;
  }

  /**
   * Approves a request waiting for review. Four eyes: never by the person
   * who asked for it, and only by someone who holds the approve permission
   * for this request and, when the target lists approvers, is one of them.
   */
  async approve(
    id: string,
    comment: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const promotion = await this.pendingReview(id, credentials);
    const user = await this.deps.userInfo.getUserInfo(credentials);
    if (
      user.userEntityRef === promotion.requestedBy ||
      user.userEntityRef === promotion.onBehalfOf
    ) {
      throw new NotAllowedError(
        `You requested promotion ${id}, so you cannot approve it: promotions into ${promotion.to} need a second person (four-eyes rule).`,
      );
    }
    await this.access.checkReviewer(
      promotion,
      user.ownershipEntityRefs,
      credentials,
    );
    const approved = await this.deps.requests.decide({
      id,
      approved: true,
      by: user.userEntityRef,
      comment,
      message: comment ? `Approved: ${comment}` : 'Approved',
    });
    await this.deps.notifier.statusChanged(approved);
    return approved;
  }

  /**
   * Rejects a request waiting for review. Reviewers may reject; the
   * requester may also withdraw their own request, which needs no second
   * person since it deploys nothing.
   */
  async reject(
    id: string,
    comment: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const promotion = await this.pendingReview(id, credentials);
    const user = await this.deps.userInfo.getUserInfo(credentials);
    const withdrawing =
      user.userEntityRef === promotion.requestedBy ||
      user.userEntityRef === promotion.onBehalfOf;
    if (!withdrawing) {
      await this.access.checkReviewer(
        promotion,
        user.ownershipEntityRefs,
        credentials,
      );
    }
    const what = withdrawing ? 'Withdrawn by the requester' : 'Rejected';
    const rejected = await this.deps.requests.decide({
      id,
      approved: false,
      by: user.userEntityRef,
      comment,
      message: comment ? `${what}: ${comment}` : what,
    });
    if (!withdrawing) {
      await this.deps.notifier.statusChanged(rejected);
    }
    return rejected;
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionDetails> {
    const promotion = await this.access.visiblePromotion(id, credentials);
    return { ...promotion, events: await this.deps.requests.events(id) };
  }

  /** Newest first; only requests of entities the caller can see. */
  async list(
    filter: { entityRef?: string; statuses?: PromotionStatus[]; limit: number },
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest[]> {
    if (filter.entityRef) {
      const entityRef = parseEntityRefInput(filter.entityRef, 'entityRef');
      await this.access.visibleEntity(entityRef, credentials);
      return this.deps.requests.list({
        entityRefs: [entityRef],
        statuses: filter.statuses,
        limit: filter.limit,
      });
    }
    const promotions = await this.deps.requests.list({
      statuses: filter.statuses,
      limit: filter.limit,
    });
    const visible = await this.access.visibleRefs(
      promotions.map(p => p.entityRef),
      credentials,
    );
    return promotions.filter(p => visible.has(p.entityRef));
  }

  /**
   * Delivery metrics of the entity's project over the last `days` days, to
   * whoever can see the entity.
   */
  async deliveryMetrics(
    input: { entityRef: string; days: number },
    credentials: BackstageCredentials,
  ): Promise<DeliveryMetricsResponse> {
    const { path, metrics } = this.deps;
    const entityRef = parseEntityRefInput(input.entityRef, 'entityRef');
    const entity = await this.access.visibleEntity(entityRef, credentials);
    const { project, environments } = promotableProject(
      entity,
      entityRef,
      path.names(),
    );
    const until = this.now();
    const since = new Date(until.getTime() - input.days * 24 * 3600_000);
    const names = path.names();
    const [first, last] = [names[0], names[names.length - 1]];
    return {
      entityRef,
      project,
      window: {
        from: since.toISOString(),
        to: until.toISOString(),
        days: input.days,
      },
      environments: await metrics.environments({
        project,
        environments,
        since,
        until,
      }),
      leadTime: {
        from: first,
        to: last,
        ...(await metrics.leadTimes({ project, first, last, since })),
      },
    };
  }

  async summary(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<PromotionSummaryResponse> {
    const refs = entityRefs.map(ref => parseEntityRefInput(ref, 'entityRefs'));
    const visible = await this.access.visibleRefs(refs, credentials);
    return this.deps.summaries.summary([...visible]);
  }

  private async pendingReview(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const promotion = await this.access.visiblePromotion(id, credentials);
    if (promotion.status !== 'pending_review') {
      const { decision } = promotion;
      throw new ConflictError(
        `Promotion ${id} is ${promotion.status}, no longer waiting for review${
          decision ? ` (decided by ${decision.by} at ${decision.at})` : ''
        }`,
      );
    }
    return promotion;
  }
}
