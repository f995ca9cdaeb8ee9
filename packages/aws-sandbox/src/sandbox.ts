/*
 * The sandbox's world: state, clock, randomness, the simulators and the
 * service tables. The HTTP server (server.ts) and the admin API (admin.ts) are
 * thin layers over this.
 */
import { Clock, ClockMode } from './simulation/clock';
import { Random } from './simulation/random';
import {
  ACCOUNT_ID,
  DEFAULT_USER_ARN,
  emptyRegion,
  emptyState,
  Fault,
  RegionState,
  SandboxState,
} from './state';
import { StateWriter } from './stateFile';
import type { ServiceDefinition } from './services/types';
import type { Caller, ServiceWorld } from './world';
import { FaultInput } from './faults';
import { EcsSimulator } from './simulation/ecsSimulator';
import { CloudFormationEngine } from './cloudformation/engine';
import { ThrottleMode, Throttler } from './throttling/throttler';
import { Roles } from './roles';

export interface SandboxOptions {
  seed?: number;
  clock?: ClockMode;
  /** Start of simulated time (ms); defaults to now. */
  startTime?: number;
  /** Time each CloudFormation resource operation takes (wall-clock ms). */
  resourceDelayMs?: number;
  initialState?: SandboxState;
  stateFile?: string;
  /** Receives one line per request (operation names only, never values). */
  log?: (line: string) => void;
  /** 'aws' limits requests at AWS's rates (throttling/rates.ts). Default 'off'. */
  throttle?: ThrottleMode;
  /**
   * Manual clock: simulated ms the clock moves per poll while a stack waits
   * for a resource to stabilise (cloudformation/resourceWaits.ts). Default
   * 5000; 0 leaves the clock to the caller.
   */
  stackWaitClockStepMs?: number;
  /** Role ARNs AssumeRole accepts; without a list, any well-formed one. */
  roles?: string[];
}

export class Sandbox implements ServiceWorld {
  state: SandboxState;
  readonly clock: Clock;
  random: Random;
  readonly ecs: EcsSimulator;
  readonly cloudformation: CloudFormationEngine;
  readonly resourceDelayMs: number;
  readonly services: ServiceDefinition[] = [];
  readonly throttling: Throttler;
  /** Configuration, not state: a reset keeps it. */
  readonly roles: Roles;
  private writer?: StateWriter;
  private readonly seed: number;
  /** Separate stream for fault dice so ids stay reproducible. */
  private readonly faultRandom: Random;

  constructor(readonly options: SandboxOptions) {
    this.seed = options.seed ?? 42;
    const now = options.startTime ?? Date.now();
    this.state = options.initialState ?? emptyState(this.seed, now);
    const mode = options.clock ?? 'real';
    const start =
      mode === 'real' ? Math.max(now, this.state.clockMs) : this.state.clockMs;
    this.clock = new Clock(mode, this.state.clockMs);
    this.random = new Random(this.state.seed, this.state.randomPosition);
    this.faultRandom = new Random(this.state.seed ^ 0x5a5a5a5a);
    this.resourceDelayMs = options.resourceDelayMs ?? 150;
    this.roles = new Roles(options.roles);
    this.ecs = new EcsSimulator(this);
    this.cloudformation = new CloudFormationEngine(this);
    this.clock.setListener(this.ecs);
    // After ECS has moved: the stack resources waiting on it.
    this.cloudformation.waits.attach(this.clock, {
      pollMs: Math.max(10, this.resourceDelayMs),
      clockStepMs: options.stackWaitClockStepMs ?? 5000,
      changed: () => this.changed(),
    });
    // Buckets refill on the manual clock in tests; in real mode on a
    // monotonic wall clock, as the simulated one jumps on an advance.
    this.throttling = new Throttler(options.throttle ?? 'off', () =>
      mode === 'manual' ? this.clock.now() : performance.now(),
    );
    if (options.stateFile) {
      this.writer = new StateWriter(options.stateFile, () => this.snapshot());
    }
    // A real-mode sandbox restarted later catches up with wall time.
    this.clock.advanceTo(start);
  }

  registerService(def: ServiceDefinition): void {
    this.services.push(def);
  }

  region(account: string, name: string): RegionState {
    const regions = (this.state.accounts[account] ??= {});
    return (regions[name] ??= emptyRegion());
  }

  now(): number {
    return this.clock.now();
  }

  /** Something changed: persist soon. */
  changed(): void {
    this.writer?.schedule();
  }

  snapshot(): SandboxState {
    this.state.clockMs = this.clock.now();
    this.state.randomPosition = this.random.position;
    return this.state;
  }

  flush(): void {
    this.writer?.flush();
  }

  callerFor(accessKeyId: string): Caller {
    const session = this.state.sts.sessions[accessKeyId];
    if (session && session.expiration > this.now()) {
      return {
        accessKeyId,
        account: session.account,
        arn: session.arn,
        userId: session.userId,
      };
    }
    return {
      accessKeyId,
      account: ACCOUNT_ID,
      arn: DEFAULT_USER_ARN,
      userId: 'AIDASANDBOXUSER000001',
    };
  }

  addFault(input: FaultInput): Fault {
    const fault: Fault = {
      id: `fault-${this.random.hex(8)}`,
      createdAt: this.now(),
      ...input,
    };
    this.state.faults.push(fault);
    this.changed();
    if (fault.type === 'crashloop') this.ecs.onFaultsChanged();
    return fault;
  }

  removeFault(id: string): boolean {
    const before = this.state.faults.length;
    this.state.faults = this.state.faults.filter(f => f.id !== id);
    this.changed();
    return this.state.faults.length < before;
  }

  clearFaults(): void {
    this.state.faults = [];
    this.changed();
  }

  rollFault(): number {
    return this.faultRandom.next();
  }

  /** Forget everything (keeps the clock where it is). */
  reset(): void {
    this.cloudformation.cancelAll();
    const now = this.now();
    this.state = emptyState(this.seed, now);
    this.random = new Random(this.seed);
    this.throttling.reset();
    this.changed();
  }
}
