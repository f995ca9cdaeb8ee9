/*
 * Simulated time. Everything time-dependent (ECS task lifecycles, metrics,
 * log events, timestamps in responses) reads this clock, never Date.now(), so
 * tests can run a day of simulated time in milliseconds.
 *
 * - 'real': the clock follows wall time; a ticker moves it forward. An
 *   advance() jumps it ahead, and it goes on from there at wall-time pace
 *   (it does not stand still until wall time catches up: ECS tasks and
 *   CloudFormation waiting on them would stop for the length of the jump).
 * - 'manual': only advance() moves it (admin API or programmatic API).
 *
 * Advancing is event-driven: the listeners (the ECS simulator, then the
 * CloudFormation resources waiting on it) report when they next have
 * something to do, and the clock steps there, so a long jump still visits
 * every task transition in order.
 */
export type ClockMode = 'real' | 'manual';

export interface ClockListener {
  /** Earliest simulated time (ms) at which something is due, if any. */
  nextDueAt(now: number): number | undefined;
  /** Called with the new time after each step. */
  onTick(now: number): void;
}

const MAX_STEPS_PER_ADVANCE = 50_000;

export class Clock {
  private current: number;
  private ticker?: NodeJS.Timeout;
  private listeners: ClockListener[] = [];
  private advancing = false;
  /** Real mode: how far advance() has put the clock ahead of wall time. */
  private aheadMs = 0;

  constructor(readonly mode: ClockMode, startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  date(): Date {
    return new Date(this.current);
  }

  setListener(listener: ClockListener): void {
    this.listeners = [listener];
  }

  /** Another listener, told of each step after the ones before it. */
  addListener(listener: ClockListener): void {
    this.listeners.push(listener);
  }

  private nextDueAt(): number | undefined {
    let due: number | undefined;
    for (const l of this.listeners) {
      const t = l.nextDueAt(this.current);
      if (t !== undefined && (due === undefined || t < due)) due = t;
    }
    return due;
  }

  /** Moves the clock forward by `ms`, visiting every due event on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('Cannot move the clock backwards');
    if (this.mode === 'real') this.aheadMs += ms;
    this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): void {
    if (this.advancing || target <= this.current) return;
    this.advancing = true;
    try {
      let steps = 0;
      while (this.current < target) {
        let next = target;
        const due = this.nextDueAt();
        if (due !== undefined && due < next) {
          next = Math.max(due, this.current + 1);
        }
        // Guard against a listener that is always due: after the budget,
        // jump straight to the target (the listener catches up in one tick).
        if (++steps > MAX_STEPS_PER_ADVANCE) next = target;
        this.current = next;
        for (const l of this.listeners) l.onTick(this.current);
      }
    } finally {
      this.advancing = false;
    }
  }

  /** In real mode, catch up with wall time (called before each request). */
  sync(): void {
    if (this.mode === 'real') this.advanceTo(Date.now() + this.aheadMs);
  }

  start(intervalMs = 1000): void {
    if (this.mode !== 'real' || this.ticker) return;
    this.ticker = setInterval(() => this.sync(), intervalMs);
    this.ticker.unref();
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
