/*
 * The engine as its stack operations (stackCreate.ts, stackUpdate.ts,
 * updateRollback.ts, stackDelete.ts) and their resource steps see it: the
 * world, the pause between steps, stack events and resource waits. They take
 * it as a parameter rather than importing engine.ts, which imports them.
 */
import type { Stack, StackResource } from '../stateCloudFormation';
import type { EngineWorld } from '../world';
import type { ResourceWaits } from './resourceWaits';

/** A step's rejection once cancelAll() has run; the engine never reports it. */
export class Cancelled extends Error {}

export interface EngineView {
  readonly sandbox: EngineWorld;
  /** Resources waiting to stabilise. */
  readonly waits: ResourceWaits;
  /** One resource step of wall time; rejects with Cancelled after cancelAll(). */
  pause(gen: number): Promise<void>;
  /** Whether cancelAll() has run since the operation of `gen` began. */
  cancelled(gen: number): boolean;
  event(
    stack: Stack,
    logicalId: string,
    type: string,
    physicalId: string,
    status: string,
    reason?: string,
    properties?: unknown,
  ): void;
  /** An event of a resource the stack records. */
  resourceEvent(
    stack: Stack,
    logicalId: string,
    r: StackResource,
    status: string,
    reason?: string,
  ): void;
  stackEvent(stack: Stack, status: string, reason?: string): void;
}
