import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EnvironmentCostSettings,
  SEED_TASK_SIZE,
} from '@envplane/plugin-aws-environments-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { CostEstimator } from './CostEstimator';

/** Fargate's CPU sizes (ECS units) and the memory each allows, in MiB. */
const FARGATE_SIZES: Record<number, [number, number]> = {
  256: [512, 2048],
  512: [1024, 4096],
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
  8192: [16384, 61440],
  16384: [32768, 122880],
};
const FARGATE_CPU = Object.keys(FARGATE_SIZES).map(Number);

/** The provision action's counts: whole numbers from 1 to 10. */
const count = () => z.number().int().min(1).max(10).optional();

/**
 * The planned run, in the provision action's input names. Unknown fields
 * are refused so a misspelt count is not silently ignored; `accountId` or
 * `region` are refused the same way, since config decides them.
 */
function requestSchema(configured: string[]) {
  return z
    .strictObject({
      environments: z
        .array(
          z.string().refine(name => configured.includes(name), {
            message: `must be one of the configured environments (${configured.join(
              ', ',
            )})`,
          }),
        )
        .min(1, 'select at least one environment')
        .max(configured.length || 1)
        .refine(names => new Set(names).size === names.length, {
          message: 'must not list an environment twice',
        }),
      taskCpu: z
        .number()
        .refine(v => FARGATE_CPU.includes(v), {
          message: `must be a Fargate CPU size in units (${FARGATE_CPU.join(
            ', ',
          )})`,
        })
        .optional(),
      taskMemory: z.number().int().min(512).max(122880).optional(),
      desiredCount: count(),
      minCapacity: count(),
      maxCapacity: count(),
      loadBalancer: z.boolean().optional(),
    })
    .superRefine((input, ctx) => {
      // The provision action's defaults and rules, so the estimate is of
      // the run the action would make.
      const min = input.minCapacity ?? 1;
      const max = input.maxCapacity ?? 10;
      const desired = input.desiredCount ?? min;
      const cpu = input.taskCpu ?? SEED_TASK_SIZE.taskCpu;
      const memory = input.taskMemory ?? SEED_TASK_SIZE.taskMemory;
      const [low, high] = FARGATE_SIZES[cpu] ?? [0, Infinity];
      if (memory < low || memory > high) {
        ctx.addIssue({
          code: 'custom',
          path: ['taskMemory'],
          message: `must be from ${low} to ${high} MiB with taskCpu ${cpu}, as Fargate allows`,
        });
      }
      if (min > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxCapacity'],
          message: `must be at least minCapacity (${min})`,
        });
      }
      if (desired < min || desired > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['desiredCount'],
          message: `must lie between minCapacity (${min}) and maxCapacity (${max})`,
        });
      }
    });
}

function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown) {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys =
      issue.code === 'unrecognized_keys' ? (issue.keys as string[]) : [];
    const field =
      keys.length > 0 ? keys.join(', ') : issue.path.join('.') || '(body)';
    const message =
      keys.length > 0 ? 'is not a field of the estimate' : issue.message;
    throw new InputError(`Body field "${field}" is invalid: ${message}`);
  }
  return parsed.data as z.infer<T>;
}

/**
 * The cost estimate's routes:
 * `POST /cost/estimate` for a planned run (the wizard's review step and the
 * provision action) and `GET /entity/:namespace/:kind/:name/cost` for what
 * an entity's environments cost as their stacks are configured now.
 */
export async function createCostRouter(options: {
  httpAuth: HttpAuthService;
  estimator: CostEstimator;
}): Promise<express.Router> {
  const { httpAuth, estimator } = options;
  const router = Router();
  router.use('/cost', express.json({ limit: '16kb' }));

  router.post('/cost/estimate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const input = parseBody(
      requestSchema(estimator.configuredNames()),
      req.body,
    );
    const minCapacity = input.minCapacity ?? 1;
    const settings: EnvironmentCostSettings = {
      taskCpu: input.taskCpu ?? SEED_TASK_SIZE.taskCpu,
      taskMemory: input.taskMemory ?? SEED_TASK_SIZE.taskMemory,
      desiredCount: input.desiredCount ?? minCapacity,
      minCapacity,
      maxCapacity: input.maxCapacity ?? 10,
      loadBalancer: input.loadBalancer ?? false,
    };
    res.json(await estimator.estimate(input.environments, settings));
  });

  router.get('/entity/:namespace/:kind/:name/cost', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, kind, name } = req.params;
    res.json(
      await estimator.estimateEntity(
        stringifyEntityRef({ kind, namespace, name }),
        credentials,
      ),
    );
  });

  return router;
}
