/**
 * Collapses concurrent calls for the same key into one: while a call is in
 * flight, callers of the same key get its promise. With 200 people on the
 * same page this turns 200 cache misses into one set of AWS calls.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) {
      return existing;
    }
    const promise = (async () => {
      try {
        return await work();
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Number of keys in flight, for tests and diagnostics. */
  get size(): number {
    return this.inFlight.size;
  }
}
