import { errorMessage } from '@envplane/plugin-aws-environments-common';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EnvironmentStackDeployFailed,
  latestEventId,
} from '@envplane/plugin-aws-environments-node';
import { deleteSecret, ensureSecret, WrittenSecret } from '../secrets';
import { inputError } from '../taskErrors';

/**
 * The app secret: the task secret `appSecret` (the wizard's Secret field,
 * `secrets.appSecret` over the REST API), or none (empty included) for a
 * generated one. Never an action input: the scaffolder would then redact
 * the input's name as well (see the template).
 */
export function pickSecret(
  taskSecrets: Record<string, string> | undefined,
): string | undefined {
  const value = taskSecrets?.appSecret || undefined;
  if (value !== undefined && (value.length > 4096 || value.trim() === '')) {
    throw inputError(
      'Invalid input: secrets.appSecret: must be 1 to 4096 characters and not only whitespace',
    );
  }
  return value;
}

/**
 * Writes the environment's SecureString before its stack is deployed: ECS
 * injects it into the first tasks, and a service whose tasks cannot start
 * would fail the stack (deployment circuit breaker).
 */
export async function writeAppSecret(
  ssm: SSMClient,
  options: {
    name: string;
    secret: string | undefined;
    tags: Record<string, string>;
    environment: string;
    logger: LoggerService;
  },
): Promise<WrittenSecret> {
  const written = await ensureSecret(
    ssm,
    options.name,
    options.secret,
    options.tags,
  );
  let state = 'kept';
  if (written.created) state = 'created';
  else if (written.overwritten) state = 'updated';
  options.logger.info(
    `${options.environment}: SecureString ${written.name} ${state}`,
  );
  return written;
}

/**
 * Undoes this run's write of the SecureString after its stack failed to
 * deploy, and says what it did, as a clause for the error
 * ("; removed …", "; restored the previous value of …").
 */
export async function undoAppSecret(
  written: WrittenSecret,
  ssm: SSMClient,
  cfn: CloudFormationClient,
  failed: EnvironmentStackDeployFailed,
): Promise<string> {
  let cleanup = '';
  if (written.restorePrevious && !(await updateTookEffect(cfn, failed))) {
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
    await deleteSecret(ssm, written.name).then(
      () => {
        cleanup = `; removed ${written.name}, which this run had created`;
      },
      e => {
        cleanup = `; could not remove ${written.name}: ${errorMessage(e)}`;
      },
    );
  }
  return cleanup;
}

/** Stack states after a deployment that went through. */
const SETTLED_OK = /^(CREATE_COMPLETE|UPDATE_COMPLETE|IMPORT_COMPLETE)$/;

/**
 * Whether a deploy that reported failure still changed the stack for good:
 * it ends settled OK and this run created it, or updated it (a newer
 * LastUpdatedTime or a newer stack event than before the deploy). A deploy
 * that failed before CloudFormation touched the stack (template validation,
 * change set, IAM denial) leaves it e.g. UPDATE_COMPLETE with the old
 * template: settled OK, but not by this run.
 */
export async function updateTookEffect(
  cfn: CloudFormationClient,
  failed: Pick<
    EnvironmentStackDeployFailed,
    'existing' | 'stack' | 'lastEventBefore'
  >,
): Promise<boolean> {
  const { existing, stack: final } = failed;
  if (!final || !SETTLED_OK.test(final.StackStatus ?? '')) return false;
  if (!existing) return true;
  if (
    final.LastUpdatedTime &&
    final.LastUpdatedTime.getTime() !== existing.LastUpdatedTime?.getTime()
  ) {
    return true;
  }
  const eventNow = await latestEventId(
    cfn,
    existing.StackId ?? existing.StackName ?? '',
  ).catch(() => undefined);
  return eventNow !== undefined && eventNow !== failed.lastEventBefore;
}
