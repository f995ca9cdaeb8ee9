import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  awsEnvironmentsDestroyPermission,
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import {
  assertStackOwnership,
  awsForEnvironment,
  deleteStackAndWait,
  describeStack,
  ProvisioningOptions,
  readProvisioningOptions,
} from '@envplane/plugin-aws-environments-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import pLimit from 'p-limit';
import { protectedEnvironmentNames } from '../config';
import { destroyInputFields, parseDestroyInput } from '../inputs';
import { deleteParametersUnder } from '../secrets';
import { forTaskLog } from '../taskErrors';

/**
 * Options of {@link createDestroyAction}.
 *
 * @public
 */
export interface DestroyActionOptions {
  /** The root config: `awsEnvironments` and its `provisioning` section. */
  config: Config;
  /** Credentials per account, from the `aws` config section. */
  credentialsManager: AwsCredentialsManager;
  /** Decides `aws.environments.destroy` for protected environments. */
  permissions: PermissionsService;
  /** Overrides of `awsEnvironments.provisioning`. */
  provisioning?: Partial<ProvisioningOptions>;
}

/**
 * `aws:environments:destroy`: deletes a project's stacks (CloudFormation
 * DeleteStack, waiting for the result) and its SSM parameters under
 * `/<project>/<environment>/`. Protected environments (the one named prod
 * and the last of the promotion path) need `confirm: "<project>-<env>"`
 * and the permission `aws.environments.destroy` for the user who started
 * the task; other environments are left to the portal's scaffolder
 * permissions (who may run the template or the action).
 *
 * @public
 */
export function createDestroyAction(options: DestroyActionOptions) {
  const environments = readAwsEnvironments(options.config);
  const provisioning: ProvisioningOptions = {
    ...readProvisioningOptions(options.config),
    ...options.provisioning,
  };
  const protectedNames = protectedEnvironmentNames(environments);

  return createTemplateAction({
    id: 'aws:environments:destroy',
    description:
      "Deletes a project's AWS environment stacks and their SSM parameters.",
    supportsDryRun: true,
    examples: [
      {
        description: 'Destroy test and prod of devops-app',
        example: [
          'steps:',
          '  - id: destroy',
          '    action: aws:environments:destroy',
          '    input:',
          '      project: devops-app',
          '      environments: [test, prod]',
          '      confirm: devops-app-prod',
        ].join('\n'),
      },
    ],
    schema: {
      input: destroyInputFields(environments),
      output: {
        environments: z =>
          z
            .array(
              z.object({
                name: z.string(),
                stackName: z.string(),
                stackExisted: z.boolean(),
                deletedParameters: z.array(z.string()),
              }),
            )
            .describe('What was deleted per environment'),
      },
    },
    async handler(ctx) {
      const input = parseDestroyInput(ctx.input, environments, protectedNames);
      await authorizeProtected(
        input.environments.filter(name => protectedNames.has(name)),
        input.project,
        () => ctx.getInitiatorCredentials(),
      );
      const selected = input.environments.map(
        name => environments.find(e => e.name === name)!,
      );
      const limit = pLimit(provisioning.concurrency);
      const failures: string[] = [];
      const results = await Promise.all(
        selected.map(environment =>
          limit(async () => {
            const names = environmentResourceNames(
              input.project,
              environment.name,
            );
            const result = {
              name: environment.name,
              stackName: names.stackName,
              stackExisted: false,
              deletedParameters: [] as string[],
            };
            try {
              const aws = await awsForEnvironment(
                options.credentialsManager,
                environment,
              );
              const stack = await describeStack(
                aws.cloudFormation,
                names.stackName,
              );
              if (stack) {
                assertStackOwnership(stack, input.project, environment.name);
              }
              if (ctx.isDryRun) {
                ctx.logger.info(
                  `${environment.name}: would delete ${
                    stack
                      ? `stack ${names.stackName}`
                      : 'no stack (none exists)'
                  } and the parameters under ${names.parameterPath}`,
                );
                result.stackExisted = Boolean(stack);
                return result;
              }
              if (stack) {
                ctx.logger.info(
                  `${environment.name}: deleting ${names.stackName}`,
                );
                const deleted = await deleteStackAndWait(
                  aws.cloudFormation,
                  names.stackName,
                  {
                    logger: ctx.logger,
                    pollIntervalMs: provisioning.pollIntervalMs,
                    signal: ctx.signal,
                  },
                );
                result.stackExisted = deleted.existed;
              } else {
                ctx.logger.info(
                  `${environment.name}: ${names.stackName} does not exist`,
                );
              }
              // After the stack: running tasks keep reading the secret until
              // they are gone.
              result.deletedParameters = await deleteParametersUnder(
                aws.ssm,
                names.parameterPath,
              );
              ctx.logger.info(
                `${environment.name}: deleted ${result.deletedParameters.length} parameter(s) under ${names.parameterPath}`,
              );
            } catch (error) {
              const message =
                error instanceof Error ? error.message : String(error);
              ctx.logger.error(`${environment.name}: ${message}`);
              failures.push(`${environment.name}: ${message}`);
            }
            return result;
          }),
        ),
      );
      ctx.output('environments', results);
      if (failures.length > 0) {
        throw forTaskLog(
          new Error(`Destroying failed:\n${failures.join('\n')}`),
        );
      }
    },
  });

  /**
   * Before any AWS call, dry runs included, so that a denied user learns it
   * from the preview rather than from a half-run task.
   */
  async function authorizeProtected(
    names: string[],
    project: string,
    initiator: () => Promise<BackstageCredentials>,
  ) {
    if (names.length === 0) {
      return;
    }
    const credentials = await initiator();
    const [decision] = await options.permissions.authorize(
      [{ permission: awsEnvironmentsDestroyPermission }],
      { credentials },
    );
    // AuthorizeResult is a string enum; comparing its value spares this
    // module a dependency on @backstage/plugin-permission-common. A
    // conditional decision cannot apply to a basic permission: not allowed.
    if (String(decision?.result) !== 'ALLOW') {
      throw forTaskLog(
        new NotAllowedError(
          `You may not destroy the protected environment${
            names.length > 1 ? 's' : ''
          } ${names.join(', ')} of ${project}: the permission ${
            awsEnvironmentsDestroyPermission.name
          } was denied to ${describePrincipal(credentials)}`,
        ),
      );
    }
  }
}

function describePrincipal(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return `the service ${principal.subject}`;
  }
  return "the task's initiator";
}
