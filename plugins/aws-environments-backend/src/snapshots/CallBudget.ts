/**
 * A token bucket per AWS account and region: refreshing snapshots never
 * sends more than `callsPerSecond` calls a second to one of them, with a
 * burst of at most one second's worth. ECS refills its read bucket at about
 * 20 calls a second per account and region, shared with every other client
 * of the account, so the portal takes a configured share of it.
 */
export class CallBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly callsPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {}

  /** Waits until `calls` calls to `key` fit in the budget, then takes them. */
  async take(key: string, calls: number): Promise<void> {
    for (;;) {
      const wait = this.tryTake(key, calls);
      if (wait === 0) {
        return;
      }
      await this.sleep(wait);
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
