import { Stack } from '@aws-sdk/client-cloudformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import {
  CREATED_BY,
  environmentTags,
  EnvironmentStackInputs,
  synthesizeEnvironments,
  SynthesizedEnvironment,
} from '@envplane/aws-environments-infra';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { join } from 'node:path';
import pLimit from 'p-limit';
import {
  awsForEnvironment,
  CdkToolkitDeployer,
  cleanErrorText,
  consoleHost,
  deployFailureReason,
  describeStack,
  EnvironmentAws,
  EnvironmentDeployer,
  failingEvents,
  latestEventId,
  ProvisioningOptions,
  readProvisioningOptions,
  StackDiffSummary,
} from '@envplane/plugin-aws-environments-node';
import { protectedEnvironmentNames } from '../config';
import { buildProjectEntities, ecsServiceArn } from '../entities';
import {
  parseProvisionInput,
  provisionInputFields,
  ProvisionInput,
} from '../inputs';
import { deleteSecret, ensureSecret } from '../secrets';

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
}

/** One environment's result, as the action outputs it. */
export interface EnvironmentResult {
  name: string;
  stackName: string;
  /** CloudFormation's stack status, or WOULD_CREATE / WOULD_UPDATE in a dry run. */
  status: string;
  operation: 'create' | 'update';
  accountId: string;
  region: string;
  clusterName: string;
  serviceName: string;
  serviceArn: string;
  logGroupName: string;
  parameterPath: string;
  secretParameterName: string;
  loadBalancerDnsName?: string;
  serviceUrl: string;
  stackUrl: string;
  resourceCount: number;
  resourceCountsByType: Record<string, number>;
  changes?: StackDiffSummary['counts'];
  error?: string;
}

const PROTECTING_TAG = 'CreatedBy';
/** Stack states after a deployment that went through. */
const SETTLED_OK = /^(CREATE_COMPLETE|UPDATE_COMPLETE|IMPORT_COMPLETE)$/;

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
      },
    },
    async handler(ctx) {
      // Everything is checked before the first AWS call.
      const input = parseProvisionInput(
        ctx.input,
        environments,
        protectedNames,
      );
      const secret = pickSecret(ctx.secrets?.appSecret, input.secret);
      const selected = input.environments.map(
        name => environments.find(e => e.name === name)!,
      );
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
            const base = baseResult(input, environment, plan.stacks[index]);
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
                input,
                environment,
                aws,
                logger: ctx.logger,
                stack: plan.stacks[index],
                outdir: join(runDir, environment.name),
                base,
              };
              return ctx.isDryRun
                ? await planEnvironment(context)
                : await provisionEnvironment({ ...context, secret });
            } catch (error) {
              const message = cleanErrorText(errorMessage(error));
              ctx.logger.error(`${environment.name}: ${message}`);
              return { ...base, status: 'FAILED', error: message };
            }
          }),
        ),
      );

      ctx.output('environments', results as any);
      ctx.output('entities', entities as any);
      ctx.output(
        'links',
        results.flatMap(r => [
          { title: `${r.name}: ECS service`, url: r.serviceUrl },
          { title: `${r.name}: CloudFormation stack`, url: r.stackUrl },
        ]),
      );

      // Last in the log, where the template's output text points to. Only
      // for what now exists: a dry run or a failed stack has nothing to open.
      if (!ctx.isDryRun) {
        for (const r of results.filter(result => !result.error)) {
          ctx.logger.info(
            `${r.name}: ${r.stackName} ${r.status}, cluster ${r.clusterName}, service ${r.serviceName}`,
          );
          ctx.logger.info(`${r.name}: ECS service ${r.serviceUrl}`);
          ctx.logger.info(`${r.name}: CloudFormation stack ${r.stackUrl}`);
        }
      }

      const failed = results.filter(r => r.error);
      if (failed.length > 0) {
        throw new Error(
          `Provisioning failed for ${failed
            .map(f => f.name)
            .join(', ')}:\n${failed
            .map(f => `${f.name}: ${f.error}`)
            .join('\n')}`,
        );
      }
    },
  });

  interface EnvironmentContext {
    input: ProvisionInput;
    environment: AwsEnvironmentConfig;
    aws: EnvironmentAws;
    logger: LoggerService;
    stack: SynthesizedEnvironment;
    outdir: string;
    base: EnvironmentResult;
  }

  function stackRequest(c: EnvironmentContext) {
    return {
      environment: c.environment,
      stackName: c.stack.stackName,
      artifactId: c.stack.artifactId,
      outdir: c.outdir,
      credentials: c.aws.credentials,
      logger: c.logger,
      synthesize: (props: {
        outdir: string;
        context?: Record<string, unknown>;
      }) =>
        synthesizeEnvironments(
          {
            project: c.input.project,
            owner: c.input.owner,
            description: c.input.description,
            image: c.input.image,
            desiredCount: c.input.desiredCount,
            minCapacity: c.input.minCapacity,
            maxCapacity: c.input.maxCapacity,
            loadBalancer: c.input.loadBalancer,
            synthesizer: provisioning.synthesizer,
          },
          [c.environment],
          {
            outdir: props.outdir,
            context: props.context,
            validate: false,
          },
        ).assembly,
    };
  }

  /** Dry run: what would be created or changed, with no write to AWS. */
  async function planEnvironment(
    c: EnvironmentContext,
  ): Promise<EnvironmentResult> {
    let existing: Stack | undefined;
    try {
      existing = await describeStack(c.aws.cloudFormation, c.stack.stackName);
    } catch (error) {
      c.logger.warn(
        `${c.environment.name}: could not look up ${
          c.stack.stackName
        } (${errorMessage(error)}); assuming it does not exist`,
      );
    }
    if (!existing) {
      c.logger.info(
        `${c.environment.name}: would create ${c.stack.stackName} with ${c.stack.resourceCount} resources and the SecureString ${c.base.secretParameterName}`,
      );
      return { ...c.base, status: 'WOULD_CREATE', operation: 'create' };
    }
    let changes: StackDiffSummary['counts'] | undefined;
    try {
      const diff = await deployer.diff(stackRequest(c));
      changes = diff.counts;
      c.logger.info(
        `${c.environment.name}: would update ${c.stack.stackName}: ${
          diff.counts.add
        } to add, ${diff.counts.update} to update, ${
          diff.counts.replace
        } to replace, ${diff.counts.remove} to remove${
          diff.iamChanges ? '; IAM changes' : ''
        }${diff.securityGroupChanges ? '; security group changes' : ''}`,
      );
      for (const change of diff.changes) {
        c.logger.info(
          `${c.environment.name}:   ${change.change} ${change.logicalId} (${change.resourceType})`,
        );
      }
    } catch (error) {
      c.logger.warn(
        `${c.environment.name}: would update ${
          c.stack.stackName
        }; no diff (${errorMessage(error)})`,
      );
    }
    return {
      ...c.base,
      status: 'WOULD_UPDATE',
      operation: 'update',
      changes,
    };
  }

  async function provisionEnvironment(
    c: EnvironmentContext & { secret?: string },
  ): Promise<EnvironmentResult> {
    const { aws, environment, logger } = c;
    const name = environment.name;
    const stackName = c.stack.stackName;
    const existing = await describeStack(aws.cloudFormation, stackName);
    if (existing) {
      assertOurs(existing, c.input.project, name);
      if (existing.StackStatus?.endsWith('_IN_PROGRESS')) {
        throw new Error(
          `${stackName} is busy (${existing.StackStatus}); run again when it has finished`,
        );
      }
    }
    const before = existing
      ? await latestEventId(aws.cloudFormation, stackName)
      : undefined;

    // The SecureString exists before the service does: ECS injects it into
    // the first tasks, and a service whose tasks cannot start would fail
    // the stack (deployment circuit breaker).
    const written = await ensureSecret(
      aws.ssm,
      c.base.secretParameterName,
      c.secret,
      environmentTags(c.input, name),
    );
    let secretState = 'kept';
    if (written.created) secretState = 'created';
    else if (written.overwritten) secretState = 'updated';
    logger.info(`${name}: SecureString ${written.name} ${secretState}`);

    logger.info(`${name}: ${existing ? 'updating' : 'creating'} ${stackName}`);
    let outcome;
    let after: Stack | undefined;
    try {
      outcome = await deployer.deploy({
        ...stackRequest(c),
        parameters: {
          ImageUri: c.input.image,
          DesiredCount: String(c.input.desiredCount),
        },
      });
      after = await describeStack(aws.cloudFormation, stackName);
      if (!after || !SETTLED_OK.test(after.StackStatus ?? '')) {
        throw new Error(
          `the deployment ended but the stack is ${
            after?.StackStatus ?? 'gone'
          }`,
        );
      }
    } catch (error) {
      const failures = await failingEvents(
        aws.cloudFormation,
        stackName,
        before,
      ).catch(() => []);
      const final = await describeStack(aws.cloudFormation, stackName).catch(
        () => undefined,
      );
      let cleanup = '';
      if (
        written.restorePrevious &&
        !(await updateTookEffect(aws, stackName, existing, before, final))
      ) {
        // The stack still runs the previous task definition (rolled back, or
        // never touched: a failed validation, change set or permission),
        // which reads the parameter without a version: its tasks would start
        // with the new value otherwise.
        await written.restorePrevious().then(
          result => {
            cleanup =
              result === 'restored'
                ? `; restored the previous value of ${written.name}`
                : `; did not restore the previous value of ${written.name}: ${
                    result === 'changed'
                      ? 'it was changed meanwhile'
                      : 'SSM did not report the version this run wrote'
                  }`;
          },
          e => {
            cleanup = `; could not restore the previous value of ${
              written.name
            }: ${errorMessage(e)}`;
          },
        );
      }
      if (written.created) {
        // Nothing is left of a stack that failed to create; its secret goes too.
        await deleteSecret(aws.ssm, written.name).then(
          () => {
            cleanup = `; removed ${written.name}, which this run had created`;
          },
          e => {
            cleanup = `; could not remove ${written.name}: ${errorMessage(e)}`;
          },
        );
      }
      // The stack, its final status and this run's failing resources with
      // CloudFormation's reasons; toolkit-lib's own text stays the cause.
      throw new Error(
        `${stackName} ${
          final?.StackStatus ?? 'failed'
        }${cleanup}:\n${deployFailureReason(error, failures)}`,
        { cause: error },
      );
    }

    const outputs: Record<string, string> = { ...outcome.outputs };
    for (const o of after.Outputs ?? []) {
      if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
    }
    // Logged with cluster and service once all environments are done.
    const status = after.StackStatus ?? 'UNKNOWN';
    return {
      ...c.base,
      status,
      operation: existing ? 'update' : 'create',
      clusterName: outputs.ClusterName ?? c.base.clusterName,
      serviceName: outputs.ServiceName ?? c.base.serviceName,
      logGroupName: outputs.LogGroupName ?? c.base.logGroupName,
      loadBalancerDnsName: outputs.LoadBalancerDnsName,
    };
  }
}

/**
 * Whether a deploy that reported failure still changed the stack for good:
 * it ends settled OK and this run created it, or updated it (a newer
 * LastUpdatedTime or a newer stack event than before the deploy). A deploy
 * that failed before CloudFormation touched the stack (template validation,
 * change set, IAM denial) leaves it e.g. UPDATE_COMPLETE with the old
 * template: settled OK, but not by this run.
 */
async function updateTookEffect(
  aws: EnvironmentAws,
  stackName: string,
  existing: Stack | undefined,
  eventBefore: string | undefined,
  final: Stack | undefined,
): Promise<boolean> {
  if (!final || !SETTLED_OK.test(final.StackStatus ?? '')) return false;
  if (!existing) return true;
  if (
    final.LastUpdatedTime &&
    final.LastUpdatedTime.getTime() !== existing.LastUpdatedTime?.getTime()
  ) {
    return true;
  }
  const eventNow = await latestEventId(aws.cloudFormation, stackName).catch(
    () => undefined,
  );
  return eventNow !== undefined && eventNow !== eventBefore;
}

/** Task secrets (the wizard's Secret field) first, then the input. */
function pickSecret(
  fromSecrets: string | undefined,
  fromInput: string | undefined,
): string | undefined {
  const value = fromSecrets || fromInput || undefined;
  if (value !== undefined && (value.length > 4096 || value.trim() === '')) {
    throw new InputError(
      'secret: must be 1 to 4096 characters and not only whitespace',
    );
  }
  return value;
}

/**
 * Refuses to take over a stack of the same name that this portal did not
 * create (another team's, or hand-made): its tags must say so. A stack
 * without any tags is judged by the description this package writes.
 */
export function assertOurs(stack: Stack, project: string, environment: string) {
  const tags = Object.fromEntries(
    (stack.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']),
  );
  const ours =
    Object.keys(tags).length > 0
      ? tags.Project === project &&
        tags.Environment === environment &&
        tags[PROTECTING_TAG] === CREATED_BY
      : (stack.Description ?? '').startsWith(
          `${project} ${environment} environment`,
        );
  if (!ours) {
    throw new Error(
      `a stack named ${stack.StackName} exists but is not tagged as ${project}/${environment} created by ${CREATED_BY}; refusing to change it`,
    );
  }
}

function baseResult(
  input: ProvisionInput,
  environment: AwsEnvironmentConfig,
  stack: SynthesizedEnvironment,
): EnvironmentResult {
  const names = environmentResourceNames(input.project, environment.name);
  const host = consoleHost(environment.region);
  return {
    name: environment.name,
    stackName: names.stackName,
    status: 'PENDING',
    operation: 'create',
    accountId: environment.accountId,
    region: environment.region,
    clusterName: names.clusterName,
    serviceName: names.serviceName,
    serviceArn: ecsServiceArn(
      environment,
      names.clusterName,
      names.serviceName,
    ),
    logGroupName: names.logGroupName,
    parameterPath: names.parameterPath,
    secretParameterName: names.appSecretParameterName,
    serviceUrl: `https://${host}/ecs/v2/clusters/${names.clusterName}/services/${names.serviceName}?region=${environment.region}`,
    stackUrl: `https://${host}/cloudformation/home?region=${
      environment.region
    }#/stacks/stackinfo?stackId=${encodeURIComponent(names.stackName)}`,
    resourceCount: stack.resourceCount,
    resourceCountsByType: stack.resourceCountsByType,
  };
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([type, n]) => `${n} ${type.replace(/^AWS::/, '')}`)
    .join(', ');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
