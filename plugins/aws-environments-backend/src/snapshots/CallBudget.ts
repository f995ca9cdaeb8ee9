/**
 * A token bucket per AWS account and region: refreshing snapshots never
 * sends more than `callsPerSecond` calls a second to one of them, with a
 * burst of at most one second's worth. ECS refills its read bucket at about
 * 20 calls a second per account and region, shared with every other client
 * of the account, so the portal takes a configured share of it.
 */
/** How long a background take waits for interactive ones before looking again. */
const YIELD_MS = 50;

export class CallBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Interactive takes waiting, per key. */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly callsPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {}

  /**
   * Waits until `calls` calls to `key` fit in the budget, then takes them.
   * `background` takes (the refresher's) wait while an `interactive` one
   * (a person's first view of an environment) waits for the same key, so
   * what someone is looking at goes first, inside the same budget.
   */
  async take(
    key: string,
    calls: number,
    priority: 'interactive' | 'background' = 'interactive',
  ): Promise<void> {
    const interactive = priority === 'interactive';
    if (interactive) this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
    try {
      for (;;) {
        const wait =
          !interactive && (this.waiting.get(key) ?? 0) > 0
            ? YIELD_MS
            : this.tryTake(key, calls);
        if (wait === 0) {
          return;
        }
        await this.sleep(wait);
      }
    } finally {
      if (interactive) {
        const left = (this.waiting.get(key) ?? 1) - 1;
        if (left > 0) this.waiting.set(key, left);
        else this.waiting.delete(key);
      }
    }
  }

  /** Takes `calls` and returns 0, or returns how many ms until they fit. */
  tryTake(key: string, calls: number): number {
    const capacity = Math.max(this.callsPerSecond, calls);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.callsPerSecond,
    );
    if (tokens >= calls) {
      this.buckets.set(key, { tokens: tokens - calls, at: now });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.ceil(((calls - tokens) / this.callsPerSecond) * 1000);
  }
}
