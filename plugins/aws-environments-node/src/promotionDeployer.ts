import { Stack } from '@aws-sdk/client-cloudformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  buildEnvironmentsApp,
  EnvironmentStackInputs,
  readProvisioningInputs,
  synthesizeEnvironments,
} from '@envplane/aws-environments-infra';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
  errorMessage,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsForEnvironment } from './aws';
import { EnvironmentDeployer } from './deployer';
import { cleanErrorText } from './deployError';
import { deployEnvironmentStack } from './environmentStackDeploy';
import { readProvisioningOptions } from './provisioningOptions';
import {
  describeStack,
  formatFailingEvents,
  latestOperationFailingEvents,
} from './stackEvents';
import { CdkToolkitDeployer } from './CdkToolkitDeployer';

/**
 * What to deploy: one image of one project into one environment.
 *
 * @public
 */
export interface PromotionDeployRequest {
  /** The project whose stack is deployed. */
  project: string;
  /** The target environment's name. */
  environment: string;
  /** The container image to deploy. */
  image: string;
  /** The promotion request being carried out, for logs. */
  promotionId: string;
  /**
   * Called with each progress line (e.g. CloudFormation stack events); the
   * lines are stored in the promotion's history for the UI. Must not throw.
   */
  onProgress(message: string): void;
}

/**
 * How a promotion's deployment ended; `reason` says why it failed.
 *
 * @public
 */
export type PromotionDeployResult =
  | { ok: true }
  | { ok: false; reason: string };

/**
 * Which deployment to look for: the image a promotion was deploying.
 *
 * @public
 */
export interface PromotionInspectRequest {
  /** The project whose stack is read. */
  project: string;
  /** The target environment's name. */
  environment: string;
  /** The image the promotion was deploying. */
  image: string;
}

/**
 * Where a deployment stands according to its stack, for a promotion whose
 * backend instance stopped before it finished.
 *
 * @public
 */
export type PromotionInspection =
  | { state: 'in_progress' }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string };

/**
 * Deploys an image into an environment; the aws-environments backend's
 * promotion workflow runs it. On failure it must leave the environment on its
 * previous image (CloudFormation rollback) and report the stack's reason.
 *
 * @public
 */
export interface PromotionDeployer {
  /** Deploys the image into the environment and reports how it ended. */
  deploy(request: PromotionDeployRequest): Promise<PromotionDeployResult>;
  /**
   * Reads the environment's stack to tell how a deployment that was left
   * running (its backend restarted) ended: still `in_progress`,
   * `succeeded` (the stack completed with `image`), or `failed` with the
   * stack status and failing events. Rejects when the stack cannot be read.
   * `createPromotionDeployer` implements it; without it the backend marks
   * such a deployment failed without looking.
   */
  inspect?(request: PromotionInspectRequest): Promise<PromotionInspection>;
}

/**
 * Options of {@link createPromotionDeployer}.
 *
 * @public
 */
export interface PromotionDeployerOptions {
  /** The root config: `awsEnvironments` and its `provisioning` section. */
  config: Config;
  /** Credentials per account, from the `aws` config section. */
  credentialsManager: AwsCredentialsManager;
  /** The backend's logger; deployments log to a child of it. */
  logger: LoggerService;
  /** Defaults to the toolkit-lib implementation (`CdkToolkitDeployer`). */
  deployer?: EnvironmentDeployer;
}

const RESTARTED = 'the backend restarted during the deployment';

/** Stack states a promotion may update: settled, and not a failed create. */
const UPDATABLE =
  /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)$/;

/**
 * Promotes by the same path as provisioning: the environment's stack is
 * synthesized again in-process from the inputs it holds (its
 * `ProvisioningInputs` output) with the new image, and deployed with
 * toolkit-lib, the image being the `ImageUri` parameter. The stack stays the
 * source of truth; a failed deployment rolls back (the environment keeps its
 * previous image) and its failing stack events are the reason returned.
 *
 * Never rejects: whatever goes wrong comes back as `{ ok: false, reason }`.
 *
 * @public
 */
export function createPromotionDeployer(
  options: PromotionDeployerOptions,
): PromotionDeployer {
  const environments = readAwsEnvironments(options.config);
  const provisioning = readProvisioningOptions(options.config);
  const deployer =
    options.deployer ??
    new CdkToolkitDeployer({ pollIntervalMs: provisioning.pollIntervalMs });

  return {
    async deploy(request) {
      const logger = progressLogger(
        options.logger.child({
          promotionId: request.promotionId,
          project: request.project,
          environment: request.environment,
        }),
        request.onProgress,
      );
      const environment = environments.find(
        e => e.name === request.environment,
      );
      if (!environment) {
        return failed(
          logger,
          `environment "${request.environment}" is not configured in awsEnvironments.environments`,
        );
      }
      const outdir = await mkdtemp(join(tmpdir(), 'aws-env-promotion-'));
      try {
        return await promote(request, environment, outdir, logger);
      } catch (error) {
        return failed(logger, cleanErrorText(errorMessage(error)));
      } finally {
        await rm(outdir, { recursive: true, force: true }).catch(() => {});
      }
    },

    async inspect(request) {
      const environment = environments.find(
        e => e.name === request.environment,
      );
      if (!environment) {
        return {
          state: 'failed',
          reason: `${RESTARTED}; environment "${request.environment}" is not configured in awsEnvironments.environments`,
        };
      }
      const { stackName, cfn, stack } = await lookUpStack(
        request.project,
        environment,
      );
      if (!stack) {
        return {
          state: 'failed',
          reason: `${RESTARTED}; stack ${stackName} does not exist in ${environment.accountId}/${environment.region}`,
        };
      }
      const status = stack.StackStatus ?? 'UNKNOWN';
      if (status.endsWith('_IN_PROGRESS')) {
        return { state: 'in_progress' };
      }
      const running = parameterOf(stack, 'ImageUri');
      if (/^(CREATE|UPDATE)_COMPLETE$/.test(status)) {
        if (running === request.image) {
          return { state: 'succeeded' };
        }
        return {
          state: 'failed',
          reason: `${RESTARTED}; ${stackName} is ${status} but the stack still runs ${
            running ?? 'no image'
          }, not ${request.image}`,
        };
      }
      const failures = /FAILED|ROLLBACK/.test(status)
        ? await latestOperationFailingEvents(cfn, stack).catch(() => [])
        : [];
      const kept =
        running && running !== request.image
          ? `; the stack still runs ${running}`
          : '';
      return {
        state: 'failed',
        reason: `${RESTARTED}; ${stackName} is ${status}${kept}${
          failures.length > 0 ? `:\n${formatFailingEvents(failures)}` : ''
        }`,
      };
    },
  };

  /** The environment's stack, read with the environment's credentials. */
  async function lookUpStack(
    project: string,
    environment: AwsEnvironmentConfig,
  ) {
    const { stackName } = environmentResourceNames(project, environment.name);
    const aws = await awsForEnvironment(
      options.credentialsManager,
      environment,
    );
    const cfn = aws.cloudFormation;
    return { stackName, cfn, stack: await describeStack(cfn, stackName) };
  }

  async function promote(
    request: PromotionDeployRequest,
    environment: AwsEnvironmentConfig,
    outdir: string,
    logger: LoggerService,
  ): Promise<PromotionDeployResult> {
    const { stackName } = environmentResourceNames(
      request.project,
      environment.name,
    );
    const aws = await awsForEnvironment(
      options.credentialsManager,
      environment,
    );
    let previousImage: string | undefined;
    const result = await deployEnvironmentStack({
      deployer,
      cloudFormation: aws.cloudFormation,
      credentials: aws.credentials,
      environment,
      project: request.project,
      stackName,
      outdir: join(outdir, 'cdk.out'),
      logger,
      plan: existing => {
        if (!existing) {
          throw new Error(
            `stack ${stackName} does not exist in ${environment.accountId}/${environment.region}; provision ${environment.name} first`,
          );
        }
        const status = existing.StackStatus ?? 'UNKNOWN';
        if (!UPDATABLE.test(status)) {
          throw new Error(
            `stack ${stackName} is ${status} and cannot be updated; re-run the wizard`,
          );
        }
        const recorded = readProvisioningInputs(existing.Outputs, stackName);
        const inputs: EnvironmentStackInputs = {
          ...recorded,
          image: request.image,
        };
        // Builds the construct tree once without synthesizing: checks the
        // inputs before any deployment starts and gives the artifact id.
        const { stacks } = buildEnvironmentsApp(inputs, [environment], {
          outdir: join(outdir, 'check'),
        });
        previousImage = parameterOf(existing, 'ImageUri');
        // The running count: the parameter may have been changed since the
        // stack was provisioned (DesiredCount is a parameter for that reason).
        const desiredCount =
          parameterOf(existing, 'DesiredCount') ??
          String(recorded.desiredCount);
        return {
          artifactId: stacks[0].artifactId,
          synthesize: props =>
            synthesizeEnvironments(inputs, [environment], {
              outdir: props.outdir,
              context: props.context,
              validate: false,
            }).assembly,
          parameters: { ImageUri: request.image, DesiredCount: desiredCount },
        };
      },
      beforeDeploy: async () => {
        logger.info(
          `${environment.name}: deploying ${request.image} to ${stackName}${
            previousImage ? ` (running ${previousImage})` : ''
          }`,
        );
      },
    });
    if (result.ok) {
      logger.info(
        `${environment.name}: ${stackName} ${result.stack.StackStatus}`,
      );
      return { ok: true };
    }
    const kept =
      result.status === 'UPDATE_ROLLBACK_COMPLETE' && previousImage
        ? `; rolled back, ${environment.name} keeps running ${previousImage}`
        : '';
    return failed(
      logger,
      `deploying ${request.image} to ${stackName} failed (${result.status})${kept}:\n${result.reason}`,
    );
  }
}

function parameterOf(stack: Stack, key: string): string | undefined {
  return stack.Parameters?.find(p => p.ParameterKey === key)?.ParameterValue;
}

function failed(logger: LoggerService, reason: string): PromotionDeployResult {
  logger.error(reason);
  return { ok: false, reason };
}

/**
 * A logger that also hands every info, warning and error line to the
 * promotion's progress (stored in its history for the UI); debug chatter
 * goes to the backend log only.
 */
function progressLogger(
  logger: LoggerService,
  onProgress: (message: string) => void,
): LoggerService {
  const forward = (message: string) => {
    try {
      onProgress(message);
    } catch (error) {
      // The contract says it must not throw; a bug there must not fail the
      // deployment it reports on.
      logger.warn(`progress not recorded: ${errorMessage(error)}`);
    }
  };
  const wrapped: LoggerService = {
    error(message, meta) {
      logger.error(message, meta);
      forward(message);
    },
    warn(message, meta) {
      logger.warn(message, meta);
      forward(message);
    },
    info(message, meta) {
      logger.info(message, meta);
      forward(message);
    },
    debug(message, meta) {
      logger.debug(message, meta);
    },
    child(meta) {
      return progressLogger(logger.child(meta), onProgress);
    },
  };
  return wrapped;
}
