/*
 * How a stack operation fails: the status reasons CloudFormation writes (a
 * resource handler's message, the resource the stack failed on, an internal
 * failure), the resourceFailure faults injected into it, and the failure
 * event of the resource it failed on.
 */
import type { Stack } from '../stateCloudFormation';
import type { World } from '../world';
import type { Deployment } from './deployment';
import { AwsError } from '../protocol/errors';
import { TemplateError } from './intrinsics';
import { ResourceWaitFailed } from './resourceWaits';
import type { EngineView } from './engineView';

/** An update stopped by CancelUpdateStack, as its resource is reported. */
export class UpdateCancelled extends Error {
  constructor() {
    super('Resource update cancelled');
  }
}

/** Stops an update whose cancellation was asked for. */
export function throwIfCancelled(stack: Stack): void {
  if (stack.cancelRequested) throw new UpdateCancelled();
}

/** The stack status reason of an error the engine did not expect. */
export function internalFailure(e: unknown): string {
  return `Internal Failure: ${(e as Error)?.message ?? e}`;
}

/** The stack status reason naming the resource an operation failed on. */
export function resourceFailed(action: string, logicalId: string): string {
  return `The following resource(s) failed to ${action}: [${logicalId}]. `;
}

/** An injected resourceFailure fault for this resource (one-shot). */
export function injectedFailure(
  sandbox: World,
  stack: Stack,
  logicalId: string,
  type: string,
): string | undefined {
  const faults = sandbox.state.faults;
  const i = faults.findIndex(
    f =>
      f.type === 'resourceFailure' &&
      (!f.logicalIdPrefix || logicalId.startsWith(f.logicalIdPrefix)) &&
      (!f.resourceType || f.resourceType === type) &&
      (!f.stackName || f.stackName === stack.StackName),
  );
  if (i < 0) return undefined;
  const [fault] = faults.splice(i, 1);
  return (
    fault.message ??
    'Resource handler returned message: "Injected failure from the AWS sandbox" (HandlerErrorCode: InternalFailure)'
  );
}

export function failureReason(sandbox: World, e: unknown): string {
  if (e instanceof AwsError) {
    let code = 'InvalidRequest';
    if (e.code.includes('AlreadyExists')) code = 'AlreadyExists';
    else if (e.code.includes('NotFound')) code = 'NotFound';
    return `Resource handler returned message: "${
      e.message
    }" (RequestToken: ${sandbox.random.uuid()}, HandlerErrorCode: ${code})`;
  }
  if (e instanceof ResourceWaitFailed) {
    return `Resource handler returned message: "${
      e.message
    }" (RequestToken: ${sandbox.random.uuid()}, HandlerErrorCode: ${
      e.handlerErrorCode
    })`;
  }
  if (e instanceof TemplateError || e instanceof UpdateCancelled) {
    return e.message;
  }
  return internalFailure(e);
}

/**
 * Writes the failure event of the resource an operation failed on, if any,
 * and returns the stack's status reason: that resource, else the error.
 */
export function reportFailure(
  engine: EngineView,
  stack: Stack,
  d: Deployment,
  current: string | undefined,
  action: 'create' | 'update',
  e: unknown,
): string {
  const reason = failureReason(engine.sandbox, e);
  if (!current) return reason;
  const record = stack.resources[current];
  if (action === 'create' && record?.ResourceStatus === 'CREATE_IN_PROGRESS') {
    record.ResourceStatus = 'CREATE_FAILED';
    record.ResourceStatusReason = reason;
  }
  engine.event(
    stack,
    current,
    d.template.Resources[current]?.Type ?? 'AWS::CloudFormation::Stack',
    stack.resources[current]?.PhysicalResourceId ?? '',
    action === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED',
    reason,
  );
  return resourceFailed(action, current);
}
