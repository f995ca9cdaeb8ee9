import { HttpAuthService } from '@backstage/backend-plugin-api';
import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  PROMOTION_STATUSES,
  PROMOTION_SUMMARY_MAX_ENTITY_REFS,
  PromotionListResponse,
  PromotionStatus,
} from '@envplane/plugin-aws-environments-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PromotionService } from './PromotionService';

const name = z.string().trim().min(1).max(255);

const validator = makeValidator();
function isEntityRef(value: string): boolean {
  try {
    const ref = parseEntityRef(value);
    return (
      validator.isValidKind(ref.kind) &&
      validator.isValidNamespace(ref.namespace) &&
      validator.isValidEntityName(ref.name)
    );
  } catch {
    return false;
  }
}

// The message does not repeat the value: error bodies never echo input.
const entityRef = name.refine(isEntityRef, {
  message: 'must be an entity ref such as component:default/my-service',
});

const createBody = z
  .object({
    entityRef,
    from: name,
    to: name,
    image: z.string().trim().min(1).max(1024).optional(),
  })
  .strict();

const rollbackBody = z.object({ entityRef, environment: name }).strict();

const metricsQuery = z.object({
  entityRef,
  days: z.coerce.number().int().min(1).max(365).default(30),
});

const decisionBody = z
  .object({ comment: z.string().trim().max(2000).optional() })
  .strict();

const commaList = z.string().transform(value =>
  value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean),
);

const listQuery = z.object({
  entityRef: entityRef.optional(),
  status: commaList
    .pipe(
      z.array(
        z.enum(PROMOTION_STATUSES as [PromotionStatus, ...PromotionStatus[]]),
      ),
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const summaryQuery = z.object({
  entityRefs: commaList.pipe(
    z.array(entityRef).min(1).max(PROMOTION_SUMMARY_MAX_ENTITY_REFS),
  ),
});

/** Parses with a schema and names the first offending field in a 400. */
function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    throw new InputError(
      `${what}${field ? ` field "${field}"` : ''} is invalid: ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * The promotion API, for signed-in users only: every decision is
 * attributed to a person. Mounted under the plugin's base path.
 */
export function createPromotionsRouter(options: {
  httpAuth: HttpAuthService;
  service: PromotionService;
}): express.Router {
  const { httpAuth, service } = options;
  const router = Router();
  // Only this router's paths: the plugin's other routes parse no bodies.
  router.use(
    ['/promotions', '/rollbacks'],
    express.json(),
    // The parser's own message quotes the body; ours names only the reason.
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) =>
      next(
        (error as { type?: string }).type === 'entity.parse.failed'
          ? new InputError('Body is not valid JSON')
          : error,
      ),
  );

  const userCredentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/promotions', async (req, res) => {
    const credentials = await userCredentials(req);
    const query = parse(listQuery, req.query, 'Query parameter');
    const items = await service.list(
      {
        entityRef: query.entityRef,
        statuses: query.status,
        limit: query.limit,
      },
      credentials,
    );
    const body: PromotionListResponse = { items };
    res.json(body);
  });

  // Before `/promotions/:id`, which would otherwise match "summary".
  router.get('/promotions/summary', async (req, res) => {
    const credentials = await userCredentials(req);
    const { entityRefs } = parse(summaryQuery, req.query, 'Query parameter');
    res.json(await service.summary(entityRefs, credentials));
  });

  router.get('/delivery-metrics', async (req, res) => {
    const credentials = await userCredentials(req);
    const query = parse(metricsQuery, req.query, 'Query parameter');
    res.json(await service.deliveryMetrics(query, credentials));
  });

  router.get('/promotions/:id', async (req, res) => {
    const credentials = await userCredentials(req);
    res.json(await service.get(req.params.id, credentials));
  });

  router.post('/promotions', async (req, res) => {
    const credentials = await userCredentials(req);
    const body = parse(createBody, req.body, 'Body');
    res.status(201).json(await service.create(body, credentials));
  });

  router.post('/rollbacks', async (req, res) => {
    const credentials = await userCredentials(req);
    const body = parse(rollbackBody, req.body, 'Body');
    res.status(201).json(await service.rollback(body, credentials));
  });

  router.post('/promotions/:id/approve', async (req, res) => {
    const credentials = await userCredentials(req);
    const { comment } = parse(decisionBody, req.body, 'Body');
    res.json(
      await service.approve(req.params.id, comment || undefined, credentials),
    );
  });

  router.post('/promotions/:id/reject', async (req, res) => {
    const credentials = await userCredentials(req);
    const { comment } = parse(decisionBody, req.body, 'Body');
    res.json(
      await service.reject(req.params.id, comment || undefined, credentials),
    );
  });

  return router;
}
