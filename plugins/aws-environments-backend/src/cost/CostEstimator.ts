import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { readProvisioningInputs } from '@envplane/aws-environments-infra';
import {
  AwsEnvironmentConfig,
  CostEstimateResponse,
  DEFAULT_COST_ASSUMPTIONS,
  EntityCostResponse,
  EnvironmentCostResult,
  EnvironmentCostSettings,
  EnvironmentPrices,
  SEED_TASK_SIZE,
  awsEnvironmentsStatusReadPermission,
  environmentResourceNames,
  estimateEnvironmentCost,
  projectOf,
} from '@envplane/plugin-aws-environments-common';
import {
  AwsClientFactory,
  AwsClientTarget,
  describeStack,
} from '@envplane/plugin-aws-environments-node';
import { shortErrorMessage } from '../aws/toEnvironmentError';

/** The stacks' `DesiredCount` parameter (packages/infra, stack.ts). */
export const DESIRED_COUNT_PARAMETER = 'DesiredCount';

const DISCLAIMER =
  "Estimates from AWS's on-demand list prices and the assumptions listed, not a quote: actual bills differ with traffic, log volume, data transfer, free tiers, discounts, taxes and price changes.";

/** Reads a region's prices; the plugin's `PriceReader`. */
export interface PriceSource {
  read(target: AwsClientTarget): Promise<EnvironmentPrices>;
}

/**
 * Cost estimates: of a planned run (the wizard, the provision action) and
 * of an entity's provisioned environments as their stacks say now. Every
 * account and region comes from config; a region without prices yields an
 * error for that environment and no figure.
 */
export class CostEstimator {
  constructor(
    private readonly deps: {
      environments: AwsEnvironmentConfig[];
      prices: PriceSource;
      clients: AwsClientFactory;
      catalog: CatalogService;
      permissions: PermissionsService;
      logger: LoggerService;
    },
  ) {}

  /** Names of the configured environments, in promotion order. */
  configuredNames(): string[] {
    return this.deps.environments.map(e => e.name);
  }

  /** The same settings for every named (configured) environment. */
  async estimate(
    names: string[],
    settings: EnvironmentCostSettings,
  ): Promise<CostEstimateResponse> {
    const results = await Promise.all(
      names.map(name => this.estimateOne(this.environment(name), settings)),
    );
    return summarize(results);
  }

  /**
   * What each of the entity's environments costs as its stack is
   * configured now: the `DesiredCount` parameter, and the counts and load
   * balancer of the `ProvisioningInputs` output. Read as the caller, with
   * the status read permission, like the status route.
   */
  async estimateEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityCostResponse> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (error) {
      throw new InputError(`entityRef is invalid: ${(error as Error).message}`);
    }
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity ${ref} not found`);
    }
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: awsEnvironmentsStatusReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the AWS environments of ${ref} (permission ${awsEnvironmentsStatusReadPermission.name}).`,
      );
    }
    const { project, environments } = projectOf(entity, this.configuredNames());
    const results = await Promise.all(
      environments.map(async name => {
        const environment = this.environment(name);
        let settings: EnvironmentCostSettings | undefined;
        try {
          settings = await this.stackSettings(project, environment);
        } catch (error) {
          return {
            ...identity(environment),
            error: shortErrorMessage(error),
          };
        }
        if (!settings) {
          return {
            ...identity(environment),
            error: `not provisioned: there is no stack ${
              environmentResourceNames(project, name).stackName
            }`,
          };
        }
        return this.estimateOne(environment, settings);
      }),
    );
    return { entityRef: ref, ...summarize(results) };
  }

  private environment(name: string): AwsEnvironmentConfig {
    const found = this.deps.environments.find(e => e.name === name);
    if (!found) {
      // The route validates names first; this guards other callers.
      throw new InputError(`environment "${name}" is not configured`);
    }
    return found;
  }

  private async estimateOne(
    environment: AwsEnvironmentConfig,
    settings: EnvironmentCostSettings,
  ): Promise<EnvironmentCostResult> {
    let prices: EnvironmentPrices;
    try {
      prices = await this.deps.prices.read(target(environment));
    } catch (error) {
      const message = shortErrorMessage(error);
      this.deps.logger.warn(
        `Cost estimate of ${environment.name}: prices of ${environment.region} could not be read: ${message}`,
      );
      return {
        ...identity(environment),
        settings,
        error: `prices of ${environment.region} could not be read: ${message}`,
      };
    }
    const input = {
      taskCpu: settings.taskCpu,
      taskMemoryMiB: settings.taskMemory,
      loadBalancer: settings.loadBalancer,
    };
    const estimate = estimateEnvironmentCost(
      {
        ...input,
        minTasks: settings.minCapacity,
        maxTasks: settings.maxCapacity,
      },
      prices,
    );
    const atDesired = estimateEnvironmentCost(
      {
        ...input,
        minTasks: settings.desiredCount,
        maxTasks: settings.desiredCount,
      },
      prices,
    );
    return {
      ...identity(environment),
      settings,
      estimate,
      monthlyAtDesired: atDesired.monthly.low,
    };
  }

  private async stackSettings(
    project: string,
    environment: AwsEnvironmentConfig,
  ): Promise<EnvironmentCostSettings | undefined> {
    const { stackName } = environmentResourceNames(project, environment.name);
    const cfn = await this.deps.clients.client(
      CloudFormationClient,
      target(environment),
    );
    const stack = await describeStack(cfn, stackName);
    if (!stack) return undefined;
    const inputs = readProvisioningInputs(stack.Outputs, stackName);
    // A promotion or a person may have changed the parameter since the
    // wizard ran; the parameter is what the service runs with.
    const parameter = stack.Parameters?.find(
      p => p.ParameterKey === DESIRED_COUNT_PARAMETER,
    );
    const desired = Number(parameter?.ParameterValue);
    return {
      ...SEED_TASK_SIZE,
      desiredCount:
        parameter && Number.isInteger(desired) ? desired : inputs.desiredCount,
      minCapacity: inputs.minCapacity,
      maxCapacity: inputs.maxCapacity,
      loadBalancer: inputs.loadBalancer,
    };
  }
}

function target(environment: AwsEnvironmentConfig): AwsClientTarget {
  return { accountId: environment.accountId, region: environment.region };
}

function identity(environment: AwsEnvironmentConfig) {
  return {
    environment: environment.name,
    title: environment.title,
    region: environment.region,
  };
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

function summarize(results: EnvironmentCostResult[]): CostEstimateResponse {
  const estimated = results.filter(r => r.estimate);
  const sum = (pick: (r: EnvironmentCostResult) => number) =>
    cents(estimated.reduce((total, r) => total + pick(r), 0));
  const dates = estimated.map(r => r.estimate!.priceDate).sort();
  return {
    currency: 'USD',
    environments: results,
    total: {
      monthly: {
        low: sum(r => r.estimate!.monthly.low),
        high: sum(r => r.estimate!.monthly.high),
      },
      monthlyAtDesired: sum(r => r.monthlyAtDesired ?? 0),
      complete: estimated.length === results.length,
    },
    ...(dates.length > 0 ? { priceDate: dates[0] } : {}),
    assumptions: { ...DEFAULT_COST_ASSUMPTIONS },
    disclaimer: DISCLAIMER,
  };
}
