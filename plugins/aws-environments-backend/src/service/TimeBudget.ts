/** A timeout error named like the SDK's, so it classifies as TIMEOUT. */
function budgetExceeded(timeoutMs: number): Error {
  const error = new Error(`no answer within ${timeoutMs} ms`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * A deadline shared by all reads of one environment. SDK calls get its
 * abort signal; `within` also bounds work that takes no signal (credential
 * lookups, cache round trips).
 */
export class TimeBudget {
  private readonly controller = new AbortController();
  private readonly expired: Promise<never>;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(timeoutMs: number) {
    let expire: (error: Error) => void = () => {};
    this.expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    // Observed through `within` only; an unobserved rejection would crash.
    this.expired.catch(() => {});
    this.timer = setTimeout(() => {
      const error = budgetExceeded(timeoutMs);
      this.controller.abort(error);
      expire(error);
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  within<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  /** Stops the clock and aborts whatever is still running. */
  end(): void {
    clearTimeout(this.timer);
    this.controller.abort();
  }
}
