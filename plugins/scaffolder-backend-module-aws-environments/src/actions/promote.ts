import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import {
  CreatePromotionRequest,
  errorMessage,
  PromotionDetails,
  PromotionRequest,
  PromotionsClient,
  PromotionStatus,
  readAwsEnvironments,
  sleep,
} from '@envplane/plugin-aws-environments-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { forTaskLog } from '../taskErrors';
import { parsePromoteInput, promoteInputFields } from './promoteInput';

/** The backend plugin that owns promotions and their rules. */
const PROMOTIONS_PLUGIN_ID = 'aws-environments';
/** Where people follow and review promotions in the portal. */
export const PROMOTIONS_LINK = '/aws-environments';
/** Consecutive failed status reads (5xx or network) tolerated while waiting. */
const MAX_POLL_FAILURES = 3;

/**
 * Options of {@link createPromoteAction}.
 *
 * @public
 */
export interface PromoteActionOptions {
  /** The root config: `awsEnvironments`, for the promotion path. */
  config: Config;
  /** Issues the on-behalf-of tokens of the task's initiator. */
  auth: AuthService;
  /** Finds the aws-environments backend. */
  discovery: DiscoveryService;
  /** Defaults to the global fetch; tests inject a fake. */
  fetch?: typeof fetch;
  /** Time between status reads with `waitForCompletion`; default 5 s. */
  pollIntervalMs?: number;
}

/**
 * `aws:environments:promote`: requests the promotion of a component's image
 * from one environment to the next through the aws-environments backend,
 * on behalf of the user who started the task, so the backend's rules
 * (promotion path, image running in the source, one open request per
 * entity and target, four eyes, permissions) apply exactly as in the UI.
 * Optionally waits until the promotion has been deployed.
 *
 * @public
 */
export function createPromoteAction(options: PromoteActionOptions) {
  const environments = readAwsEnvironments(options.config);
  const doFetch: typeof fetch =
    options.fetch ?? ((url, init) => fetch(url, init));
  const pollIntervalMs = options.pollIntervalMs ?? 5000;

  return createTemplateAction({
    id: 'aws:environments:promote',
    description:
      "Requests the promotion of a component's image to the next AWS environment (as the user who runs the task), optionally waiting until it is deployed.",
    supportsDryRun: true,
    examples: [
      {
        description:
          'Promote what runs in qa to staging and wait for the deployment',
        example: [
          'steps:',
          '  - id: promote',
          '    action: aws:environments:promote',
          '    input:',
          '      entityRef: component:default/devops-app',
          '      from: qa',
          '      to: staging',
          '      waitForCompletion: true',
          '      timeoutMinutes: 45',
          'output:',
          '  links:',
          '    - title: Promotions',
          '      url: ${{ steps.promote.output.link }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: promoteInputFields(environments),
      output: {
        promotionId: zo =>
          zo
            .string()
            .optional()
            .describe('Id of the promotion request (absent in a dry run)'),
        status: zo =>
          zo
            .string()
            .describe(
              'Status of the request when the step ended (dry_run in a dry run)',
            ),
        reviewRequired: zo =>
          zo
            .boolean()
            .describe('Whether the target environment needs a review'),
        link: zo =>
          zo.string().describe('Where to follow and review the promotion'),
      },
    },
    async handler(ctx) {
      const input = parsePromoteInput(ctx.input, environments);
      const target = environments.find(e => e.name === input.to)!;
      const body: CreatePromotionRequest = {
        entityRef: input.entityRef,
        from: input.from,
        to: input.to,
        ...(input.image !== undefined && { image: input.image }),
      };
      const what = `${input.entityRef} from ${input.from} to ${input.to}`;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would request the promotion of ${what} (${
            input.image
              ? `image ${input.image}`
              : `the image running in ${input.from}`
          })${
            target.promotion.reviewRequired
              ? `; ${input.to} requires a review by someone other than the requester`
              : ''
          }${
            input.waitForCompletion
              ? `, and wait up to ${input.timeoutMinutes} minutes for it`
              : ''
          }`,
        );
        ctx.output('status', 'dry_run');
        ctx.output('reviewRequired', target.promotion.reviewRequired);
        ctx.output('link', PROMOTIONS_LINK);
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      // Every request carries a fresh on-behalf-of token of the initiator.
      const api = new PromotionsClient({
        baseUrl: () => options.discovery.getBaseUrl(PROMOTIONS_PLUGIN_ID),
        fetch: async (url, init) => {
          const { token } = await options.auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: PROMOTIONS_PLUGIN_ID,
          });
          return doFetch(url, {
            ...init,
            headers: { ...init.headers, Authorization: `Bearer ${token}` },
            signal: ctx.signal,
          });
        },
      });

      const created = await api.createPromotion(body).catch(error => {
        throw forTaskLog(
          new Error(
            `Could not request the promotion of ${what}: ${errorText(error)}`,
          ),
        );
      });
      ctx.logger.info(
        `Promotion ${created.id} requested: ${created.entityRef} from ${
          created.from
        } to ${created.to}, image ${created.image}, status ${created.status}${
          created.reviewRequired
            ? ` (awaits review by someone other than ${created.requestedBy})`
            : ''
        }`,
      );
      const report = (p: PromotionRequest) => {
        ctx.output('promotionId', p.id);
        ctx.output('status', p.status);
        ctx.output('reviewRequired', p.reviewRequired);
        ctx.output('link', PROMOTIONS_LINK);
      };
      report(created);

      if (!input.waitForCompletion) {
        return;
      }

      const final = await waitForPromotion({
        api,
        promotion: created,
        timeoutMs: input.timeoutMinutes * 60_000,
        pollIntervalMs,
        signal: ctx.signal,
        logger: ctx.logger,
      });
      report(final);
      const id = final.id;
      switch (final.status) {
        case 'succeeded':
          ctx.logger.info(
            `Promotion ${id} succeeded: ${final.image} runs in ${final.to}`,
          );
          return;
        case 'failed':
          throw forTaskLog(
            new Error(
              `Promotion ${id} of ${what} failed: ${
                final.failureReason ?? 'no reason was given'
              }`,
            ),
          );
        case 'rejected': {
          const by = final.decision?.by ?? 'an unknown reviewer';
          const comment = final.decision?.comment
            ? `: "${final.decision.comment}"`
            : '';
          throw forTaskLog(
            new Error(
              `Promotion ${id} of ${what} was rejected by ${by}${comment}`,
            ),
          );
        }
        case 'pending_review':
          throw forTaskLog(
            new Error(
              `Promotion ${id} of ${what} still awaits review after ${
                input.timeoutMinutes
              } minutes; it must be approved by someone other than the requester (${
                final.onBehalfOf ?? final.requestedBy
              }) at ${PROMOTIONS_LINK}. The request stays open.`,
            ),
          );
        default:
          throw forTaskLog(
            new Error(
              `Promotion ${id} of ${what} did not finish within ${input.timeoutMinutes} minutes; it is still ${final.status}. Follow it at ${PROMOTIONS_LINK}.`,
            ),
          );
      }
    },
  });
}

const FINAL_STATUSES: readonly PromotionStatus[] = [
  'succeeded',
  'failed',
  'rejected',
];

/**
 * Reads the request every `pollIntervalMs` until it has a final status or
 * the time is up, logging status changes and new history events. Returns
 * the last state read.
 */
async function waitForPromotion(opts: {
  api: PromotionsClient;
  promotion: PromotionRequest;
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  logger: LoggerService;
}): Promise<PromotionRequest> {
  const { api, logger, signal } = opts;
  const deadline = Date.now() + opts.timeoutMs;
  let current: PromotionRequest = opts.promotion;
  let seenEvents = 0;
  let failures = 0;
  while (!FINAL_STATUSES.includes(current.status)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      break;
    }
    await sleep(Math.min(opts.pollIntervalMs, remaining), signal);
    if (signal?.aborted) {
      throw cancelled(current.id);
    }
    let details: PromotionDetails;
    try {
      details = await api.getPromotion(current.id);
      failures = 0;
    } catch (error) {
      if (signal?.aborted) {
        throw cancelled(current.id);
      }
      failures += 1;
      const retriable =
        !(error instanceof ResponseError) || error.statusCode >= 500;
      if (!retriable || failures >= MAX_POLL_FAILURES) {
        throw forTaskLog(
          new Error(
            `Could not read the status of promotion ${current.id}: ${errorText(
              error,
            )}`,
          ),
        );
      }
      logger.warn(
        `Could not read the status of promotion ${current.id} (${errorText(
          error,
        )}); trying again`,
      );
      continue;
    }
    for (const event of (details.events ?? []).slice(seenEvents)) {
      if (event.action !== 'requested') {
        logger.info(
          `${event.action.replace(/_/g, ' ')}${
            event.message ? `: ${event.message}` : ''
          } (${event.actor})`,
        );
      }
    }
    seenEvents = Math.max(seenEvents, details.events?.length ?? 0);
    if (details.status !== current.status) {
      logger.info(`Promotion ${details.id} is now ${details.status}`);
    }
    current = details;
  }
  return current;
}

function cancelled(id: string) {
  return forTaskLog(
    new Error(
      `The task was cancelled while waiting for promotion ${id}; the promotion itself goes on (see ${PROMOTIONS_LINK})`,
    ),
  );
}

/** The message of an error; for a backend error response, the backend's own message. */
function errorText(error: unknown): string {
  if (error instanceof ResponseError) {
    const message = error.cause?.message || error.message;
    return `${message} (${error.statusCode}${
      error.statusText ? ` ${error.statusText}` : ''
    })`;
  }
  return errorMessage(error);
}
