/*
 * Optional request throttling at AWS's rates (see rates.ts): one token bucket
 * per (account, region, service, action group), checked before an operation
 * runs, so a client that bursts gets the throttling error AWS would send.
 * Off unless asked for; the counters run either way, so a benchmark can read
 * how many calls each operation got without turning throttling on.
 */
import { AwsError } from '../protocol/errors';
import { rateFor, SOURCES } from './rates';

export type ThrottleMode = 'aws' | 'off';

export const THROTTLE_MODES: readonly ThrottleMode[] = ['aws', 'off'];

export function parseThrottleMode(value: unknown): ThrottleMode {
  if (value === 'aws' || value === 'off') return value;
  throw new Error(
    `throttle mode must be one of ${THROTTLE_MODES.join(
      ', ',
    )}, not ${JSON.stringify(value)}`,
  );
}

export interface ThrottleRequest {
  account: string;
  region: string;
  /** ServiceDefinition.name: ecs, ssm, logs, cloudwatch, ... */
  service: string;
  operation: string;
  /** The request came in a query dialect (form in, XML out). */
  query: boolean;
}

interface Bucket {
  tokens: number;
  /** Clock reading (ms) the tokens were last brought up to date at. */
  at: number;
  capacity: number;
  refillPerSecond: number;
}

interface Counter {
  account: string;
  region: string;
  service: string;
  operation: string;
  group: string | null;
  allowed: number;
  throttled: number;
}

/**
 * The error AWS answers a throttled call with, as the `throttle` fault sends
 * it (ThrottlingException over JSON, with the query code `Throttling` for
 * CloudWatch's query-compatible JSON; Throttling over query; both HTTP 400),
 * except EC2, whose throttling error is RequestLimitExceeded with HTTP 503.
 * The SDK's retry strategy counts all three codes as throttling.
 */
export function throttlingError(service: string, query: boolean): AwsError {
  if (service === 'ec2') {
    return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
  }
  return query
    ? new AwsError('Throttling', 'Rate exceeded', 400)
    : new AwsError(
        'ThrottlingException',
        'Rate exceeded',
        400,
        'Sender',
        'Throttling',
      );
}

export class Throttler {
  private buckets = new Map<string, Bucket>();
  private counters = new Map<string, Counter>();

  /**
   * @param now the clock buckets refill on, in ms. It must never go back;
   * the sandbox passes its manual clock or, in real mode, a monotonic wall
   * clock (its simulated clock stands still after an advance until wall
   * time catches up, which would starve the buckets).
   */
  constructor(public mode: ThrottleMode, private readonly now: () => number) {}

  setMode(mode: ThrottleMode): void {
    if (mode !== this.mode) this.buckets.clear();
    this.mode = mode;
  }

  /**
   * Counts the call and, in `aws` mode, takes a token from its bucket.
   * Returns the error to answer with when the bucket is empty.
   */
  check(req: ThrottleRequest): AwsError | undefined {
    const rate = rateFor(req.service, req.operation, req.region);
    const counter = this.counter(req, rate?.group ?? null);
    if (this.mode === 'off' || !rate) {
      counter.allowed++;
      return undefined;
    }
    const key = [req.account, req.region, req.service, rate.group].join(
      '\u0000',
    );
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // A bucket starts full, as an account that made no calls has its burst.
      bucket = {
        tokens: rate.capacity,
        at: now,
        capacity: rate.capacity,
        refillPerSecond: rate.refillPerSecond,
      };
      this.buckets.set(key, bucket);
    }
    refill(bucket, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      counter.allowed++;
      return undefined;
    }
    counter.throttled++;
    return throttlingError(req.service, req.query);
  }

  /** Forgets counters and refills every bucket. */
  reset(): void {
    this.buckets.clear();
    this.counters.clear();
  }

  /** What GET /_sandbox/throttling answers. */
  report() {
    const now = this.now();
    const counters = [...this.counters.values()].sort((a, b) =>
      [a.account, a.region, a.service, a.operation]
        .join(' ')
        .localeCompare([b.account, b.region, b.service, b.operation].join(' ')),
    );
    const buckets = [...this.buckets.entries()].map(([key, b]) => {
      refill(b, now);
      const [account, region, service, group] = key.split('\u0000');
      return {
        account,
        region,
        service,
        group,
        capacity: b.capacity,
        refillPerSecond: b.refillPerSecond,
        tokens: Math.floor(b.tokens * 1000) / 1000,
      };
    });
    return {
      mode: this.mode,
      totals: {
        allowed: counters.reduce((n, c) => n + c.allowed, 0),
        throttled: counters.reduce((n, c) => n + c.throttled, 0),
      },
      counters,
      buckets,
      sources: SOURCES,
    };
  }

  private counter(req: ThrottleRequest, group: string | null): Counter {
    const key = [req.account, req.region, req.service, req.operation].join(
      '\u0000',
    );
    let c = this.counters.get(key);
    if (!c) {
      c = {
        account: req.account,
        region: req.region,
        service: req.service,
        operation: req.operation,
        group,
        allowed: 0,
        throttled: 0,
      };
      this.counters.set(key, c);
    }
    return c;
  }
}

function refill(bucket: Bucket, now: number): void {
  const elapsed = Math.max(0, now - bucket.at);
  bucket.tokens = Math.min(
    bucket.capacity,
    bucket.tokens + (elapsed / 1000) * bucket.refillPerSecond,
  );
  bucket.at = Math.max(bucket.at, now);
}
