export type SlotDecision =
  /** Send at `at` (epoch ms); `nextFreeMs` is the schedule to keep. */
  | { ok: true; at: number; nextFreeMs: number }
  /** The schedule is full further ahead than the caller will wait: try again after `retryAt`. */
  | { ok: false; retryAt: number };

/**
 * Strict spacing at the moment of sending: each request gets its own instant, `intervalMs` after
 * the previous one, so no window of 1 s ever holds more than the provider allows, however the
 * queue bunched the messages. A token bucket fed at enqueue time only holds the rate on average.
 */
export function reserveSlot(nextFreeMs: number, nowMs: number, intervalMs: number, maxWaitMs: number): SlotDecision {
  const at = Math.max(nowMs, nextFreeMs);
  if (at - nowMs > maxWaitMs) return { ok: false, retryAt: at - maxWaitMs };
  return { ok: true, at, nextFreeMs: at + intervalMs };
}
