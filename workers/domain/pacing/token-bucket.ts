/** How a bucket fills: at most `capacity` tokens, `refillPerSecond` added continuously. */
export interface BucketLimits {
  capacity: number;
  refillPerSecond: number;
}

/**
 * A token bucket as plain data, so a Durable Object can keep it in storage as JSON. `tokens` is the
 * level at `updatedAtMs` (epoch ms); the level now is computed, never stored by a timer.
 */
export interface TokenBucket extends BucketLimits {
  tokens: number;
  updatedAtMs: number;
}

export type TakeResult = { ok: true; bucket: TokenBucket } | { ok: false; bucket: TokenBucket; retryAt: Date };

/** Float error from fractional refill rates must not refuse a take at the retryAt we promised. */
const EPSILON = 1e-9;

/** A full bucket. Its time is the epoch: any later `now` finds it full, so no clock is needed. */
export function createBucket(limits: BucketLimits): TokenBucket {
  if (!(Number.isFinite(limits.capacity) && limits.capacity > 0)) throw new RangeError(`bucket capacity must be > 0, got ${limits.capacity}`);
  if (!(Number.isFinite(limits.refillPerSecond) && limits.refillPerSecond > 0)) {
    throw new RangeError(`bucket refill must be > 0 per second, got ${limits.refillPerSecond}`);
  }
  return { capacity: limits.capacity, refillPerSecond: limits.refillPerSecond, tokens: limits.capacity, updatedAtMs: 0 };
}

/**
 * Takes `tokens` if the bucket holds them at `now`, returning the new state (the input is never
 * changed). When it does not, nothing is taken and `retryAt` is the first instant it will.
 */
export function take(bucket: TokenBucket, now: Date, tokens = 1): TakeResult {
  if (!(Number.isFinite(tokens) && tokens > 0 && tokens <= bucket.capacity)) {
    throw new RangeError(`cannot take ${tokens} tokens from a bucket of ${bucket.capacity}`);
  }
  const current = refill(bucket, now.getTime());
  if (current.tokens + EPSILON >= tokens) return { ok: true, bucket: { ...current, tokens: Math.max(0, current.tokens - tokens) } };
  const waitMs = Math.ceil(((tokens - current.tokens) / current.refillPerSecond) * 1000);
  return { ok: false, bucket: current, retryAt: new Date(current.updatedAtMs + waitMs) };
}

/**
 * The bucket as of `nowMs`. A clock that steps back (another isolate, a restored DO) mints no
 * tokens and never moves the bucket's time backwards.
 */
export function refill(bucket: TokenBucket, nowMs: number): TokenBucket {
  if (nowMs <= bucket.updatedAtMs) return bucket;
  const added = ((nowMs - bucket.updatedAtMs) / 1000) * bucket.refillPerSecond;
  return { ...bucket, tokens: Math.min(bucket.capacity, bucket.tokens + added), updatedAtMs: nowMs };
}
