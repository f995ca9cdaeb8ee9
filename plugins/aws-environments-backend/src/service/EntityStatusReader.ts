import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ENVIRONMENTS,
  EnvironmentLogsResponse,
  EnvironmentStatus,
  EnvironmentStatusResponse,
  StatusRange,
  awsEnvironmentsParametersReadPermission,
  awsEnvironmentsStatusReadPermission,
  healthFromFindings,
  projectOf,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsService } from './AwsEnvironmentsService';

export interface EntityStatusRequest {
  entityRef: string;
  /** One environment; all of the entity's environments when absent. */
  environment?: string;
  range: StatusRange;
  credentials: BackstageCredentials;
  /** Bypass the status cache (see `ProjectStatusRequest.fresh`). */
  fresh?: boolean;
  /** Include the newest log lines. Default true. */
  logs?: boolean;
}

/** What a caller without the parameters permission sees for SSM. */
const PARAMETERS_DENIED = {
  type: 'ACCESS_DENIED',
  source: 'ssm',
  message: `You may not read SSM parameter metadata of this entity (permission ${awsEnvironmentsParametersReadPermission.name}).`,
} as const;

/**
 * The caller-facing side of the status API, shared by the HTTP router and
 * the actions registry: the entity is read with the CALLER's credentials
 * (so catalog visibility rules apply), permissions are checked against that
 * entity, and every AWS identifier comes from its annotations and config.
 */
export class EntityStatusReader {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      service: AwsEnvironmentsService;
      /**
       * Called with every status read, before it is trimmed for the
       * caller: the snapshots keep the overview in step with the details.
       */
      onRead?: (
        project: string,
        statuses: EnvironmentStatus[],
      ) => Promise<void>;
    },
  ) {}

  async read(request: EntityStatusRequest): Promise<EnvironmentStatusResponse> {
    const { range } = request;
    const { entityRef, project, environments, mayReadParameters } =
      await this.resolve(request);
    const statuses = await this.deps.service.getProjectStatus({
      project,
      environments: request.environment ? [request.environment] : environments,
      range,
      fresh: request.fresh,
      logs: request.logs,
    });
    await this.deps.onRead?.(project, statuses);
    return {
      entityRef,
      range,
      environments: mayReadParameters
        ? statuses
        : statuses.map(withoutParameters),
    };
  }

  /** One environment's newest log lines, through the same checks. */
  async readLogs(
    request: Omit<EntityStatusRequest, 'fresh' | 'logs'> & {
      environment: string;
    },
  ): Promise<EnvironmentLogsResponse> {
    const { entityRef, project } = await this.resolve(request);
    const logs = await this.deps.service.getProjectLogs({
      project,
      environment: request.environment,
      range: request.range,
    });
    return { entityRef, range: request.range, ...logs };
  }

  /**
   * The entity as the caller may see it, their permissions on it, and its
   * project and environments; throws the error the caller should see.
   */
  private async resolve(request: EntityStatusRequest) {
    const { credentials } = request;
    const configured = this.deps.service.listEnvironments().map(e => e.name);
    if (request.environment && !configured.includes(request.environment)) {
      throw new InputError(
        `environment "${
          request.environment
        }" is not a configured environment; use one of ${configured.join(
          ', ',
        )}`,
      );
    }

    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(request.entityRef));
    } catch (error) {
      throw new InputError(`entityRef is invalid: ${(error as Error).message}`);
    }
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }

    const [statusDecision, parametersDecision] =
      await this.deps.permissions.authorize(
        [
          {
            permission: awsEnvironmentsStatusReadPermission,
            resourceRef: entityRef,
          },
          {
            permission: awsEnvironmentsParametersReadPermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
    if (statusDecision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the AWS environments of ${entityRef} (permission ${awsEnvironmentsStatusReadPermission.name}).`,
      );
    }

    const { project, environments } = projectOf(entity, configured);
    if (request.environment && !environments.includes(request.environment)) {
      throw new InputError(
        `environment "${
          request.environment
        }" is not one of ${entityRef}'s environments (${environments.join(
          ', ',
        )}, from the ${ANNOTATION_ENVIRONMENTS} annotation)`,
      );
    }
    return {
      entityRef,
      project,
      environments,
      mayReadParameters: parametersDecision.result === AuthorizeResult.ALLOW,
    };
  }
}

/**
 * Drops parameter metadata, and the findings derived from it, for callers
 * who may not read it; health is recomputed so it matches what they see.
 */
function withoutParameters(status: EnvironmentStatus): EnvironmentStatus {
  const findings = status.findings.filter(f => f.source !== 'ssm');
  return {
    ...status,
    parameters: [],
    findings,
    health: healthFromFindings(findings, status.error),
    errors: [
      ...status.errors.filter(e => e.source !== 'ssm'),
      PARAMETERS_DENIED,
    ],
  };
}
