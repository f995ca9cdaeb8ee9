/*
 * The narrow views of the sandbox that its parts work through. Services, the
 * ECS simulator, the CloudFormation engine and its resources see only what
 * they use (the state, the clock's now, the random stream and a few calls
 * into the simulators), never the Sandbox class, so none of them imports
 * sandbox.ts and sandbox.ts can import all of them without a loop.
 */
import type { Deployment } from './cloudformation/deployment';
import type { Random } from './simulation/random';
import type { Roles } from './roles';
import type { RegionState, SandboxState } from './state';
import type { Stack } from './stateCloudFormation';
import type { EcsService, EcsTask } from './stateEcs';

/** The identity a request was signed with. */
export interface Caller {
  accessKeyId: string;
  account: string;
  arn: string;
  userId: string;
}

/** The simulated world: its state, clock and random stream. */
export interface World {
  /** Replaced on reset: read it through the world each time. */
  readonly state: SandboxState;
  readonly random: Random;
  /** Simulated time, epoch ms. */
  now(): number;
  /** One account's region, made empty on first use. */
  region(account: string, name: string): RegionState;
  /** Something changed: persist soon. */
  changed(): void;
}

/** The ECS simulator's calls that ECS's API and resources make. */
export interface EcsControl {
  reconcileNow(): void;
  stopTask(
    task: EcsTask,
    now: number,
    reason: string,
    stopCode: string,
    failed?: boolean,
  ): void;
  finishDrain(service: EcsService, now: number): void;
}

/** The world as the ECS helpers see it (services, simulator, resources). */
export interface EcsWorld extends World {
  readonly ecs: EcsControl;
}

/** Region, identity and time of one stack operation. */
export interface OperationContext {
  region: string;
  /** The caller's account's region: a stack only reaches its own account. */
  regionState: RegionState;
  caller: Caller;
}

/** The CloudFormation engine's calls that the CloudFormation API makes. */
export interface CloudFormationControl {
  startCreate(
    stack: Stack,
    deployment: Deployment,
    op: OperationContext,
    onDone?: (ok: boolean) => void,
  ): void;
  startUpdate(
    stack: Stack,
    deployment: Deployment,
    op: OperationContext,
    onDone?: (ok: boolean) => void,
  ): void;
  startDelete(stack: Stack, op: OperationContext, retain?: string[]): void;
  stackEvent(stack: Stack, status: string, reason?: string): void;
}

/** The world as the CloudFormation engine sees it. */
export interface EngineWorld extends EcsWorld {
  /** Wall-clock ms each resource step takes. */
  readonly resourceDelayMs: number;
}

/** The world as the service handlers see it. */
export interface ServiceWorld extends EngineWorld {
  readonly cloudformation: CloudFormationControl;
  /** The roles AssumeRole accepts. */
  readonly roles: Roles;
}
