import { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { CredentialIdentityProvider } from './aws';
import { DeployOutcome, EnvironmentDeployer, StackRequest } from './deployer';
import { deployFailureReason } from './deployError';
import { assertStackOwnership } from './stackOwnership';
import {
  describeStack,
  failingEvents,
  FailingEvent,
  latestEventId,
} from './stackEvents';

/**
 * What {@link deployEnvironmentStack} deploys, decided once the stack as it
 * is now is known.
 *
 * @public
 */
export interface EnvironmentStackPlan {
  /** The stack's artifact id in the assembly `synthesize` produces. */
  artifactId: string;
  /** Synthesizes the stack in-process (see {@link StackRequest}). */
  synthesize: StackRequest['synthesize'];
  /** Every CloudFormation parameter value (none is kept from before). */
  parameters: Record<string, string>;
}

/**
 * One environment stack to create or update with {@link deployEnvironmentStack}.
 *
 * @public
 */
export interface EnvironmentStackDeployRequest {
  /** The deployer that runs the deployment (`CdkToolkitDeployer`). */
  deployer: EnvironmentDeployer;
  /** CloudFormation of the environment's account and region. */
  cloudFormation: CloudFormationClient;
  /** Credentials of the environment's account, for the deployer. */
  credentials: CredentialIdentityProvider;
  /** The environment the stack belongs to. */
  environment: AwsEnvironmentConfig;
  /** The project the stack must belong to. */
  project: string;
  /** The CloudFormation stack name. */
  stackName: string;
  /** An empty directory owned by this deployment. */
  outdir: string;
  /** Progress lines ("resource N of M") and failures with reasons. */
  logger: LoggerService;
  /**
   * Decides what to deploy from the stack as it is (undefined when it does
   * not exist yet), once it is known not to be busy; throws to refuse.
   * Runs before the ownership check, so a caller's own reading of the
   * stack (e.g. its recorded inputs) speaks first.
   */
  plan(
    existing: Stack | undefined,
  ): EnvironmentStackPlan | Promise<EnvironmentStackPlan>;
  /**
   * The last step before the deployment, once the stack is known to be
   * ours: e.g. writing what the new stack reads (a SecureString).
   */
  beforeDeploy?(existing: Stack | undefined): Promise<void>;
}

/**
 * A deployment that went through: the stack settled as asked.
 *
 * @public
 */
export interface EnvironmentStackDeployed {
  /** Always true. */
  ok: true;
  /** The stack before the deployment; undefined when it was created. */
  existing?: Stack;
  /** The stack after the deployment. */
  stack: Stack;
  /** The deployer's outputs, overridden by the stack's own. */
  outputs: Record<string, string>;
}

/**
 * A deployment that failed, with what a caller needs to phrase it and to
 * undo its own preparations.
 *
 * @public
 */
export interface EnvironmentStackDeployFailed {
  /** Always false. */
  ok: false;
  /** The stack before the deployment; undefined when it was to be created. */
  existing?: Stack;
  /** The stack afterwards, when it exists and could be read. */
  stack?: Stack;
  /** The stack's status afterwards, `gone`, or `UNKNOWN` when unreadable. */
  status: string;
  /** The newest stack event before the deployment started. */
  lastEventBefore?: string;
  /** What failed: the deployer's error, or why the result is not right. */
  error: unknown;
  /** This deployment's failing stack events, causes first. */
  failures: FailingEvent[];
  /** Why it failed, for people (`deployFailureReason`). */
  reason: string;
}

/**
 * How {@link deployEnvironmentStack} ended.
 *
 * @public
 */
export type EnvironmentStackDeployResult =
  | EnvironmentStackDeployed
  | EnvironmentStackDeployFailed;

/** Stack states after a deployment that went through. */
const SETTLED_OK = /^(CREATE_COMPLETE|UPDATE_COMPLETE|IMPORT_COMPLETE)$/;

/**
 * Deploys one environment's stack; provisioning and promotions both go
 * through it. Plan: read the stack, refuse it while an operation is in
 * progress, let the caller decide what to deploy, refuse a stack that is
 * not the project's ({@link assertStackOwnership}), remember its newest
 * event. Deploy through `deployer` with the caller's synthesize callback,
 * progress going to `logger`. Outcome: read the stack again and, when the
 * deployment failed or left the stack unsettled or with other parameter
 * values, this deployment's failing events and the reason for people.
 *
 * Rejects when the plan refuses (busy, not ours, the caller's own
 * refusals) or AWS cannot be read before the deployment; a deployment that
 * failed resolves with `ok: false`.
 *
 * @public
 */
export async function deployEnvironmentStack(
  request: EnvironmentStackDeployRequest,
): Promise<EnvironmentStackDeployResult> {
  const { cloudFormation: cfn, stackName, environment } = request;
  const existing = await describeStack(cfn, stackName);
  if (existing?.StackStatus?.endsWith('_IN_PROGRESS')) {
    throw new Error(
      `stack ${stackName} is busy (${existing.StackStatus}); run again when it has finished`,
    );
  }
  const plan = await request.plan(existing);
  if (existing) {
    assertStackOwnership(existing, request.project, environment.name);
  }
  // By stack id once it exists: events and status are read by the same
  // handle even if the name were reused meanwhile.
  const handle = existing?.StackId ?? stackName;
  const lastEventBefore = existing
    ? await latestEventId(cfn, handle)
    : undefined;
  await request.beforeDeploy?.(existing);

  let error: unknown;
  let outcome: DeployOutcome | undefined;
  try {
    outcome = await request.deployer.deploy({
      environment,
      stackName,
      artifactId: plan.artifactId,
      outdir: request.outdir,
      credentials: request.credentials,
      logger: request.logger,
      synthesize: plan.synthesize,
      parameters: plan.parameters,
    });
  } catch (e) {
    error = e;
  }
  let stack: Stack | undefined;
  let readFailed = false;
  try {
    stack = await describeStack(cfn, handle);
  } catch (e) {
    readFailed = true;
    error ??= e;
  }
  if (!error) {
    const problem = unsettled(stack, plan.parameters);
    if (problem) error = new Error(problem);
  }
  if (!error && stack && outcome) {
    const outputs: Record<string, string> = { ...outcome.outputs };
    for (const o of stack.Outputs ?? []) {
      if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
    }
    return { ok: true, existing, stack, outputs };
  }

  const failures = await failingEvents(cfn, handle, lastEventBefore).catch(
    () => [],
  );
  let status = stack?.StackStatus ?? 'gone';
  if (readFailed) status = 'UNKNOWN';
  return {
    ok: false,
    existing,
    stack,
    status,
    lastEventBefore,
    error,
    failures,
    reason: deployFailureReason(error, failures),
  };
}

/**
 * Why a deployment the deployer reported as done did not leave the stack as
 * asked, if it did not: settled, and every parameter it reports with the
 * value given.
 */
function unsettled(
  stack: Stack | undefined,
  parameters: Record<string, string>,
): string | undefined {
  if (!stack || !SETTLED_OK.test(stack.StackStatus ?? '')) {
    return `the deployment ended but the stack is ${
      stack?.StackStatus ?? 'gone'
    }`;
  }
  for (const p of stack.Parameters ?? []) {
    const given = p.ParameterKey ? parameters[p.ParameterKey] : undefined;
    if (given !== undefined && p.ParameterValue !== given) {
      return `the deployment ended but the stack's ${p.ParameterKey} is ${
        p.ParameterValue ?? 'unset'
      }`;
    }
  }
  return undefined;
}
