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
import { sendWithEtag } from './sendWithEtag';
import { StatusOverviewReader } from './snapshots/StatusOverviewReader';

const range = z
  .enum(STATUS_RANGES as [StatusRange, ...StatusRange[]])
  .default('1h');

const statusQuery = z.object({
  environment: z.string().min(1).optional(),
  range,
  logs: z
    .enum(['true', 'false'])
    .default('true')
    .transform(v => v === 'true'),
});

const logsQuery = z.object({ environment: z.string().min(1), range });

const overviewQuery = z.object({
  owner: z.string().min(1).optional(),
  system: z.string().min(1).optional(),
  text: z.string().min(1).max(200).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

function parse<T extends z.ZodTypeAny>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Query parameter "${issue.path.join('.')}" is invalid: ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * The HTTP API. Requests name only an entity, an environment and a range,
 * or the overview's filters;
 * everything else comes from the catalog and config.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  reader: EntityStatusReader;
  overview: StatusOverviewReader;
}): Promise<express.Router> {
  const { httpAuth, reader, overview } = options;
  const router = Router();

  router.get('/entity/:namespace/:kind/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(statusQuery, req.query);
    const { namespace, kind, name } = req.params;
    sendWithEtag(
      req,
      res,
      await reader.read({
        entityRef: stringifyEntityRef({ kind, namespace, name }),
        ...query,
        credentials,
      }),
    );
  });

  router.get('/entity/:namespace/:kind/:name/logs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(logsQuery, req.query);
    const { namespace, kind, name } = req.params;
    sendWithEtag(
      req,
      res,
      await reader.readLogs({
        entityRef: stringifyEntityRef({ kind, namespace, name }),
        ...query,
        credentials,
      }),
    );
  });

  router.get('/entity/:namespace/:kind/:name/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, kind, name } = req.params;
    sendWithEtag(
      req,
      res,
      await overview.entity(
        stringifyEntityRef({ kind, namespace, name }),
        credentials,
      ),
    );
  });

  router.get('/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    sendWithEtag(
      req,
      res,
      await overview.page(parse(overviewQuery, req.query), credentials),
    );
  });

  return router;
}
