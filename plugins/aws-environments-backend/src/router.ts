import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  STATUS_RANGES,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EntityStatusReader } from './service/EntityStatusReader';

const statusQuery = z.object({
  environment: z.string().min(1).optional(),
  range: z.enum(STATUS_RANGES as [StatusRange, ...StatusRange[]]).default('1h'),
});

function parseQuery(query: unknown) {
  const parsed = statusQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Query parameter "${issue.path.join('.')}" is invalid: ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * The HTTP API. Requests name only an entity, an environment and a range;
 * everything else comes from the catalog and config.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  reader: EntityStatusReader;
}): Promise<express.Router> {
  const { httpAuth, reader } = options;
  const router = Router();

  router.get('/entity/:namespace/:kind/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { environment, range } = parseQuery(req.query);
    const { namespace, kind, name } = req.params;
    res.json(
      await reader.read({
        entityRef: stringifyEntityRef({ kind, namespace, name }),
        environment,
        range,
        credentials,
      }),
    );
  });

  return router;
}
