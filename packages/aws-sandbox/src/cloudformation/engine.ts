/*
 * Applies templates. API calls validate synchronously and return; the stack
 * operation then runs in the background, one resource step every
 * resourceDelayMs of wall time, writing the stack events CloudFormation
 * writes (so pollers such as toolkit-lib see progress). A resource whose
 * provider has stabilise() (an ECS service) completes only once that check
 * passes on the simulated clock (resourceWaits.ts). Failures roll back.
 *
 * This file holds the engine's own state (its timers, their generation and
 * the resource waits) and stack events; the operations are in stackCreate.ts,
 * stackUpdate.ts (rolled back by updateRollback.ts) and stackDelete.ts, over
 * one resource's steps (resourceSteps.ts), the stack's scope and outputs
 * (stackScope.ts, stackOutputs.ts) and failure reasons (resourceFailures.ts).
 * They see the engine as an EngineView (engineView.ts).
 */
import type { Stack, StackEvent, StackResource } from '../stateCloudFormation';
import type {
  CloudFormationControl,
  EngineWorld,
  OperationContext,
} from '../world';
import type { Deployment } from './deployment';
import { ResourceWaits } from './resourceWaits';
import { Cancelled, EngineView } from './engineView';
import { internalFailure } from './resourceFailures';
import { runCreate } from './stackCreate';
import { runUpdate } from './stackUpdate';
import { runDelete } from './stackDelete';

export class CloudFormationEngine implements CloudFormationControl, EngineView {
  private generation = 0;
  private timers = new Set<NodeJS.Timeout>();
  /** Resources waiting to stabilise; the sandbox attaches its clock. */
  readonly waits = new ResourceWaits();

  constructor(readonly sandbox: EngineWorld) {}

  cancelAll(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waits.cancelAll();
  }

  cancelled(gen: number): boolean {
    return gen !== this.generation;
  }

  pause(gen: number): Promise<void> {
    return new Promise((resolveFn, reject) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (gen !== this.generation) reject(new Cancelled());
        else resolveFn();
      }, this.sandbox.resourceDelayMs);
      this.timers.add(t);
    });
  }

  /** Runs `fn` in the background; unexpected errors never reach the server. */
  private background(
    fn: (gen: number) => Promise<void>,
    onError: (e: unknown) => void,
  ) {
    const gen = this.generation;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn(gen)
        .catch(e => {
          if (e instanceof Cancelled) return;
          try {
            onError(e);
          } catch (inner) {
            process.stderr.write(`aws-sandbox: cloudformation: ${inner}\n`);
          }
        })
        .finally(() => this.sandbox.changed());
    }, 0);
    this.timers.add(t);
  }

  // ---- events ---------------------------------------------------------------

  event(
    stack: Stack,
    logicalId: string,
    type: string,
    physicalId: string,
    status: string,
    reason?: string,
    properties?: unknown,
  ): void {
    // Each event has its own time, as on AWS, where steps are at least
    // milliseconds apart: clients order events by Timestamp (the CDK CLI
    // sorts what it prints), so on a manual clock, or within one
    // millisecond, an event comes 1 ms after the stack's previous one.
    const previous = stack.events[0]?.Timestamp ?? -Infinity;
    const e: StackEvent = {
      EventId: this.sandbox.random.uuid(),
      StackId: stack.StackId,
      StackName: stack.StackName,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: Math.max(this.sandbox.now(), previous + 1),
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ResourceProperties:
        properties === undefined ? undefined : JSON.stringify(properties),
    };
    stack.events.unshift(e);
    this.sandbox.changed();
  }

  /** An event of a resource the stack records. */
  resourceEvent(
    stack: Stack,
    logicalId: string,
    r: StackResource,
    status: string,
    reason?: string,
  ): void {
    this.event(
      stack,
      logicalId,
      r.ResourceType,
      r.PhysicalResourceId,
      status,
      reason,
    );
  }

  stackEvent(stack: Stack, status: string, reason?: string): void {
    stack.StackStatus = status;
    stack.StackStatusReason = reason;
    this.event(
      stack,
      stack.StackName,
      'AWS::CloudFormation::Stack',
      stack.StackId,
      status,
      reason,
    );
  }

  // ---- create ---------------------------------------------------------------

  startCreate(
    stack: Stack,
    d: Deployment,
    op: OperationContext,
    onDone?: (ok: boolean) => void,
  ): void {
    this.startOperation(
      stack,
      'CREATE_IN_PROGRESS',
      'CREATE_FAILED',
      gen => runCreate(this, stack, d, op, gen),
      onDone,
    );
  }

  /**
   * Marks the stack busy with `inProgress` and runs the operation in the
   * background; an unexpected error leaves the stack in `internalFailureStatus`.
   */
  private startOperation(
    stack: Stack,
    inProgress: string,
    internalFailureStatus: string,
    run: (gen: number) => Promise<boolean>,
    onDone?: (ok: boolean) => void,
  ): void {
    stack.busy = true;
    this.stackEvent(stack, inProgress, 'User Initiated');
    this.background(
      async gen => {
        const ok = await run(gen);
        stack.busy = false;
        onDone?.(ok);
      },
      e => {
        stack.busy = false;
        this.stackEvent(stack, internalFailureStatus, internalFailure(e));
        onDone?.(false);
      },
    );
  }

  // ---- update ---------------------------------------------------------------

  startUpdate(
    stack: Stack,
    d: Deployment,
    op: OperationContext,
    onDone?: (ok: boolean) => void,
  ): void {
    this.startOperation(
      stack,
      'UPDATE_IN_PROGRESS',
      'UPDATE_ROLLBACK_FAILED',
      gen => runUpdate(this, stack, d, op, gen),
      onDone,
    );
  }

  // ---- delete ---------------------------------------------------------------

  startDelete(stack: Stack, op: OperationContext, retain: string[] = []): void {
    stack.busy = true;
    this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    this.background(
      gen => runDelete(this, stack, op, retain, gen),
      e => {
        stack.busy = false;
        this.stackEvent(stack, 'DELETE_FAILED', internalFailure(e));
      },
    );
  }
}
