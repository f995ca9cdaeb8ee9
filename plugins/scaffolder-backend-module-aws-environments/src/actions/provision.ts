import { Config } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  errorMessage,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import {
  EnvironmentStackInputs,
  synthesizeEnvironments,
} from '@envplane/aws-environments-infra';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { join } from 'node:path';
import pLimit from 'p-limit';
import {
  awsForEnvironment,
  CdkToolkitDeployer,
  cleanErrorText,
  EnvironmentDeployer,
  PluginMetrics,
  ProvisioningOptions,
  readProvisioningOptions,
} from '@envplane/plugin-aws-environments-node';
import { protectedEnvironmentNames } from '../config';
import { buildProjectEntities } from '../entities';
import { parseProvisionInput, provisionInputFields } from '../inputs';
import { pickSecret } from '../provisioning/appSecret';
import {
  CostEstimateReader,
  logCostEstimate,
} from '../provisioning/costEstimate';
import {
  baseResult,
  EnvironmentResult,
  failureOf,
  formatCounts,
  logResults,
  resultLinks,
} from '../provisioning/environmentResult';
import { planEnvironment } from '../provisioning/planEnvironment';
import { provisionEnvironment } from '../provisioning/provisionEnvironment';

/**
 * Options of {@link createProvisionAction}.
 *
 * @public
 */
export interface ProvisionActionOptions {
  /** The root config: `awsEnvironments` and its `provisioning` section. */
  config: Config;
  /** Credentials per account, from the `aws` config section. */
  credentialsManager: AwsCredentialsManager;
  /** Defaults to the toolkit-lib implementation. */
  deployer?: EnvironmentDeployer;
  /** Overrides of `awsEnvironments.provisioning`. */
  provisioning?: Partial<ProvisioningOptions>;
  /** The module's metrics service: how long each environment takes, and how it ends. */
  metrics?: PluginMetrics;
  /**
   * Reads the run's cost estimate for the start of the log and the
   * `costEstimate` output (see `createCostEstimateReader`); without it the
   * log says there is none.
   */
  costEstimates?: CostEstimateReader;
}

/**
 * `aws:environments:provision`: synthesizes the seed's stack for each
 * selected environment in-process, deploys them with toolkit-lib (a few at a
 * time), writes each environment's SecureString with the SSM API and
 * outputs the results, console links and the catalog entities of the run.
 *
 * @public
 */
export function createProvisionAction(options: ProvisionActionOptions) {
  const environments = readAwsEnvironments(options.config);
  const provisioning: ProvisioningOptions = {
    ...readProvisioningOptions(options.config),
    ...options.provisioning,
  };
  const protectedNames = protectedEnvironmentNames(environments);
  const durations = options.metrics?.createHistogram(
    'envplane.provisioning.duration',
    {
      description:
        'Provisioning of one environment, from its first AWS call to its outcome',
      unit: 's',
    },
  );
  const deployer =
    options.deployer ??
    new CdkToolkitDeployer({ pollIntervalMs: provisioning.pollIntervalMs });

  return createTemplateAction({
    id: 'aws:environments:provision',
    description:
      'Creates or updates the AWS environments (VPC, NAT, ECS Fargate service, IAM, logs, optional ALB) of a project with AWS CDK, and its app secret in SSM.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Provision test and qa for devops-app',
        example: [
          'steps:',
          '  - id: provision',
          '    action: aws:environments:provision',
          '    input:',
          '      project: devops-app',
          '      owner: group:default/devops-team',
          '      environments: [test, qa]',
          '      image: public.ecr.aws/docker/library/python:3.12-slim',
          '      loadBalancer: true',
        ].join('\n'),
      },
    ],
    schema: {
      input: provisionInputFields(environments),
      output: {
        environments: z =>
          z
            .array(z.record(z.unknown()))
            .describe('One entry per environment: stack, status, names, links'),
        entities: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'System, Component and aws-environment Resources of the run',
            ),
        links: z =>
          z
            .array(z.object({ title: z.string(), url: z.string() }))
            .describe('Console links of the services and stacks'),
        costEstimate: z =>
          z
            .record(z.unknown())
            .optional()
            .describe(
              'Monthly cost estimate per environment and in total (CostEstimateResponse), when prices could be read',
            ),
      },
    },
    async handler(ctx) {
      // Everything is checked before the first AWS call.
      const input = parseProvisionInput(
        ctx.input,
        environments,
        protectedNames,
      );
      const secret = pickSecret(ctx.secrets);
      // First in the log, before anything is synthesized or deployed; a
      // missing estimate is one line and never stops the run.
      const costEstimate = await logCostEstimate({
        reader: options.costEstimates,
        request: {
          environments: input.environments,
          desiredCount: input.desiredCount,
          minCapacity: input.minCapacity,
          maxCapacity: input.maxCapacity,
          loadBalancer: input.loadBalancer,
        },
        credentials: () => ctx.getInitiatorCredentials(),
        logger: ctx.logger,
        signal: ctx.signal,
      });
      if (costEstimate) {
        ctx.output('costEstimate', costEstimate as any);
      }
      const selected = input.environments.map(
        name => environments.find(e => e.name === name)!,
      );
      // The stack inputs, once: the plan and every deployment synthesize
      // from the same object.
      const stackInputs: EnvironmentStackInputs = {
        project: input.project,
        owner: input.owner,
        description: input.description,
        image: input.image,
        desiredCount: input.desiredCount,
        minCapacity: input.minCapacity,
        maxCapacity: input.maxCapacity,
        loadBalancer: input.loadBalancer,
        synthesizer: provisioning.synthesizer,
      };

      const runDir = await ctx.createTemporaryDirectory();
      const plan = synthesizeEnvironments(stackInputs, selected, {
        outdir: join(runDir, 'plan'),
        validate: provisioning.validateTemplates,
      });
      for (const stack of plan.stacks) {
        ctx.logger.info(
          `${stack.environment}: stack ${stack.stackName} has ${
            stack.resourceCount
          } resources (${formatCounts(stack.resourceCountsByType)}), template ${
            stack.templateBytes
          } bytes`,
        );
      }

      const entities = buildProjectEntities({
        project: input.project,
        owner: input.owner,
        description: input.description,
        environments: selected,
      });

      const limit = pLimit(provisioning.concurrency);
      const results = await Promise.all(
        selected.map((environment, index) =>
          limit(async (): Promise<EnvironmentResult> => {
            const base = baseResult(
              input.project,
              environment,
              plan.stacks[index],
            );
            const started = Date.now();
            const record = (result: EnvironmentResult) => {
              if (!ctx.isDryRun) {
                durations?.record((Date.now() - started) / 1000, {
                  environment: environment.name,
                  outcome: result.status === 'FAILED' ? 'failed' : 'succeeded',
                });
              }
              return result;
            };
            try {
              if (ctx.signal?.aborted) {
                throw new Error(
                  'the task was cancelled before this environment started',
                );
              }
              const aws = await awsForEnvironment(
                options.credentialsManager,
                environment,
              );
              const context = {
                stackInputs,
                environment,
                aws,
                deployer,
                logger: ctx.logger,
                stack: plan.stacks[index],
                outdir: join(runDir, environment.name),
                base,
              };
              return record(
                ctx.isDryRun
                  ? await planEnvironment(context)
                  : await provisionEnvironment({ ...context, secret }),
              );
            } catch (error) {
              const message = cleanErrorText(errorMessage(error));
              ctx.logger.error(`${environment.name}: ${message}`);
              return record({ ...base, status: 'FAILED', error: message });
            }
          }),
        ),
      );

      ctx.output('environments', results as any);
      ctx.output('entities', entities as any);
      ctx.output('links', resultLinks(results));
      // Last in the log, where the template's output text points to; a dry
      // run has nothing to open.
      if (!ctx.isDryRun) {
        logResults(ctx.logger, results);
      }
      const failure = failureOf(results);
      if (failure) {
        throw failure;
      }
    },
  });
}
