import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CostEstimateRequest,
  CostEstimateResponse,
  errorMessage,
} from '@envplane/plugin-aws-environments-common';
import { cleanErrorText } from '@envplane/plugin-aws-environments-node';

/** The backend plugin that serves the estimate (and keeps the prices). */
const PLUGIN_ID = 'aws-environments';
/** Provisioning does not wait longer than this for a figure. */
export const COST_ESTIMATE_TIMEOUT_MS = 15_000;

/**
 * Reads a planned run's estimate. The module's default asks the
 * aws-environments backend, so the task log shows the same figures as the
 * wizard's review step, from the same day-long price cache.
 *
 * @public
 */
export type CostEstimateReader = (
  request: CostEstimateRequest,
  context: { credentials: BackstageCredentials; signal?: AbortSignal },
) => Promise<CostEstimateResponse>;

/**
 * `POST /api/aws-environments/cost/estimate` on behalf of the task's
 * initiator.
 *
 * @public
 */
export function createCostEstimateReader(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  /** Defaults to the global fetch; tests inject a fake. */
  fetch?: typeof fetch;
}): CostEstimateReader {
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  return async (request, { credentials, signal }) => {
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: PLUGIN_ID,
    });
    const base = await options.discovery.getBaseUrl(PLUGIN_ID);
    const response = await doFetch(`${base}/cost/estimate`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(request),
      signal,
    });
    if (!response.ok) {
      // Backstage's error body: { error: { message } }.
      const body = (await response.json().catch(() => undefined)) as
        | { error?: { message?: string } }
        | undefined;
      throw new Error(
        `the aws-environments backend answered ${response.status}${
          body?.error?.message ? `: ${body.error.message}` : ''
        }`,
      );
    }
    return (await response.json()) as CostEstimateResponse;
  };
}

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

/** `$153.16 to $239.02`, or one figure when both ends agree. */
function range(r: { low: number; high: number }): string {
  return r.low === r.high ? usd(r.low) : `${usd(r.low)} to ${usd(r.high)}`;
}

/**
 * The estimate as task log lines: a heading that says it is an estimate
 * with the price date, one line per environment, the total, and the
 * assumptions.
 */
export function formatCostEstimate(estimate: CostEstimateResponse): string[] {
  const date = estimate.priceDate?.slice(0, 10) ?? 'unknown';
  const lines = [
    `Cost estimate (USD a month, AWS on-demand list prices of ${date}; an estimate, not a quote):`,
  ];
  for (const env of estimate.environments) {
    if (!env.estimate || !env.settings) {
      lines.push(
        `  ${env.environment} (${env.region}): no estimate, ${env.error}`,
      );
      continue;
    }
    const s = env.settings;
    lines.push(
      `  ${env.environment} (${env.region}): ${range(
        env.estimate.monthly,
      )} with ${s.minCapacity} to ${s.maxCapacity} tasks all month, ${usd(
        env.monthlyAtDesired ?? 0,
      )} with ${s.desiredCount} (the tasks at start)`,
    );
  }
  lines.push(
    `  total: ${range(estimate.total.monthly)}${
      estimate.total.complete
        ? ''
        : ' (environments without an estimate left out)'
    }`,
  );
  const a = estimate.assumptions;
  const first = estimate.environments.find(e => e.settings)?.settings;
  lines.push(
    `  assumes: ${
      first
        ? `tasks of ${first.taskCpu / 1024} vCPU and ${first.taskMemory} MiB, `
        : ''
    }${a.hoursPerMonth} hours a month, ${
      a.natDataGbPerMonth
    } GB through the NAT gateways, ${
      a.logGbPerTaskMonth
    } GB of logs per task kept ${a.logRetentionDays} days, ${
      a.loadBalancerLcuPerHour
    } load balancer capacity unit an hour; taxes, data transfer out and free tiers are not included`,
  );
  return lines;
}

/**
 * Logs the estimate as the first lines of the run and returns it; when it
 * cannot be had, logs one line that says so and returns undefined, since
 * a missing figure must not stop provisioning.
 */
export async function logCostEstimate(options: {
  reader?: CostEstimateReader;
  request: CostEstimateRequest;
  credentials: () => Promise<BackstageCredentials>;
  logger: LoggerService;
  signal?: AbortSignal;
  timeoutMs?: number;
}): Promise<CostEstimateResponse | undefined> {
  const { reader, logger } = options;
  if (!reader) {
    logger.info(
      'Cost estimate: not available, no estimate reader is configured; provisioning goes on.',
    );
    return undefined;
  }
  try {
    const timeout = AbortSignal.timeout(
      options.timeoutMs ?? COST_ESTIMATE_TIMEOUT_MS,
    );
    const estimate = await reader(options.request, {
      credentials: await options.credentials(),
      signal: options.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout,
    });
    for (const line of formatCostEstimate(estimate)) {
      logger.info(line);
    }
    return estimate;
  } catch (error) {
    const reason = cleanErrorText(errorMessage(error)).split('\n')[0];
    logger.warn(
      `Cost estimate: prices could not be read (${reason}); provisioning goes on.`,
    );
    return undefined;
  }
}
