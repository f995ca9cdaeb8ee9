/*
 * Resources CloudFormation waits on after their handler has returned. On
 * AWS an AWS::ECS::Service is not CREATE_COMPLETE when CreateService answers
 * but when the service has stabilised; a provider's stabilise() gives the
 * engine a check of the simulated world, and the engine awaits it here.
 *
 * Checks run on every step of the sandbox clock, after the ECS simulator has
 * moved (so a state that lasts only part of a long advance, such as a
 * deployment the circuit breaker failed and ECS then rolled back, is seen),
 * and once per poll of wall time (for changes made through the API between
 * steps).
 *
 * A manual clock only moves when advanced, and a caller blocked in a deploy
 * cannot advance it: so, unless told otherwise (clockStepMs 0), each poll
 * while something waits moves a manual clock forward clockStepMs, as time
 * would pass during the deployment on AWS. The wait itself is unchanged: a
 * service whose tasks never run keeps its stack in progress.
 */
import type { Clock, ClockListener } from '../simulation/clock';

/** A handler's failure, as CloudFormation reports it on the resource. */
export interface WaitFailure {
  failed: string;
  /** HandlerErrorCode in the event's reason (GeneralServiceException, ...). */
  handlerErrorCode: string;
}

export type WaitStatus = 'waiting' | 'complete' | WaitFailure;

/** Reads the world and says whether the resource is ready yet. */
export type ResourceWait = () => WaitStatus;

export class ResourceWaitFailed extends Error {
  constructor(message: string, readonly handlerErrorCode: string) {
    super(message);
  }
}

export interface ResourceWaitOptions {
  /** Wall-clock ms between polls. */
  pollMs: number;
  /** Simulated ms a manual clock moves per poll while anything waits. */
  clockStepMs: number;
  /** Called after a poll moved the clock (state to persist). */
  changed?: () => void;
}

interface Pending {
  check: ResourceWait;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class ResourceWaits implements ClockListener {
  private readonly pending = new Set<Pending>();
  private timer?: NodeJS.Timeout;
  private clock?: Clock;
  private options: ResourceWaitOptions = { pollMs: 50, clockStepMs: 0 };

  /** Checks on `clock`'s steps, and moves it if manual and clockStepMs > 0. */
  attach(clock: Clock, options: Partial<ResourceWaitOptions> = {}): void {
    this.clock = clock;
    this.options = { ...this.options, ...options };
    clock.addListener(this);
  }

  nextDueAt(): number | undefined {
    return undefined;
  }

  onTick(): void {
    this.checkAll();
  }

  /** Resolves once `check` says complete; rejects with ResourceWaitFailed. */
  until(check: ResourceWait): Promise<void> {
    return new Promise((resolve, reject) => {
      const p: Pending = { check, resolve, reject };
      if (this.settle(p)) return;
      this.pending.add(p);
      this.startPolling();
    });
  }

  /** Forgets every wait (their operations were cancelled). */
  cancelAll(): void {
    this.pending.clear();
    this.stopPolling();
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Runs `p`'s check; true if it settled. */
  private settle(p: Pending): boolean {
    let status: WaitStatus;
    try {
      status = p.check();
    } catch (e) {
      p.reject(e);
      return true;
    }
    if (status === 'waiting') return false;
    if (status === 'complete') p.resolve();
    else
      p.reject(new ResourceWaitFailed(status.failed, status.handlerErrorCode));
    return true;
  }

  private checkAll(): void {
    for (const p of [...this.pending]) {
      if (this.settle(p)) this.pending.delete(p);
    }
    if (this.pending.size === 0) this.stopPolling();
  }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const clock = this.clock;
    if (
      this.pending.size > 0 &&
      clock?.mode === 'manual' &&
      this.options.clockStepMs > 0
    ) {
      clock.advance(this.options.clockStepMs);
      this.options.changed?.();
    }
    this.checkAll();
  }
}
