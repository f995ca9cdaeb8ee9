import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ENVIRONMENTS,
  EntityDriftResponse,
  awsEnvironmentsDriftCheckPermission,
  awsEnvironmentsStatusReadPermission,
  projectOf,
} from '@envplane/plugin-aws-environments-common';
import express from 'express';
import Router from 'express-promise-router';
import { DriftChecker } from './DriftChecker';

/** An entity the caller may see, with its project and environments. */
interface ResolvedEntity {
  entityRef: string;
  project: string;
  environments: string[];
}

/**
 * The drift API. Requests name only an entity and an environment; the
 * stack, account and region come from its annotations and config.
 */
export function createDriftRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  checker: DriftChecker;
  /** The configured environments' names, in promotion order. */
  configured: () => string[];
}): express.Router {
  const { httpAuth, catalog, permissions, checker, configured } = options;
  const router = Router();

  /**
   * Reads the entity with the caller's credentials (catalog visibility
   * applies) and checks `required` against it; the first denied one is
   * named in the 403.
   */
  async function resolve(
    params: Record<string, string>,
    credentials: BackstageCredentials,
    required: (typeof awsEnvironmentsStatusReadPermission)[],
  ): Promise<ResolvedEntity> {
    const { namespace, kind, name } = params;
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }
    const decisions = await permissions.authorize(
      required.map(permission => ({ permission, resourceRef: entityRef })),
      { credentials },
    );
    const denied = required.find(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied) {
      throw new NotAllowedError(
        `You may not ${
          denied === awsEnvironmentsDriftCheckPermission
            ? 'check the drift of'
            : 'read the AWS environments of'
        } ${entityRef} (permission ${denied.name}).`,
      );
    }
    return { entityRef, ...projectOf(entity, configured()) };
  }

  router.get('/entity/:namespace/:kind/:name/drift', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entityRef, project, environments } = await resolve(
      req.params,
      credentials,
      [awsEnvironmentsStatusReadPermission],
    );
    const response: EntityDriftResponse = {
      entityRef,
      environments: await checker.read(
        environments.map(environment => ({ project, environment })),
      ),
    };
    res.json(response);
  });

  router.post('/entity/:namespace/:kind/:name/drift', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const environment = req.query.environment;
    if (typeof environment !== 'string' || environment === '') {
      throw new InputError(
        `Query parameter "environment" is required: the environment whose stack to check (one of ${configured().join(
          ', ',
        )})`,
      );
    }
    const { entityRef, project, environments } = await resolve(
      req.params,
      credentials,
      [
        awsEnvironmentsDriftCheckPermission,
        awsEnvironmentsStatusReadPermission,
      ],
    );
    if (!environments.includes(environment)) {
      throw new InputError(
        `Query parameter "environment": "${environment}" is not one of ${entityRef}'s environments (${environments.join(
          ', ',
        )}, from the ${ANNOTATION_ENVIRONMENTS} annotation and config)`,
      );
    }
    const result = await checker.start({ project, environment });
    if (result.started) {
      // The detection takes seconds to minutes; the caller polls the GET.
      res.status(202).json(result.drift);
      return;
    }
    const { drift } = result;
    const retryAt = drift.nextCheckAllowedAt ?? new Date().toISOString();
    const seconds = Math.max(
      1,
      Math.ceil((new Date(retryAt).getTime() - Date.now()) / 1000),
    );
    const why =
      drift.status === 'checking'
        ? `a check started at ${drift.startedAt} is still running`
        : `it was last checked at ${drift.startedAt}, and each environment may be checked once every ${checker.minIntervalMinutes} minutes`;
    res
      .status(429)
      .set('Retry-After', String(seconds))
      .json({
        error: {
          name: 'TooManyRequestsError',
          message: `Drift of ${project}/${environment} cannot be checked now: ${why}. It may run again at ${retryAt}.`,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
        drift,
      });
  });

  return router;
}
