import type { PolicyDecision } from "./local-window";

const HOUR_MS = 60 * 60 * 1000;
export const TOUCH_DAY_MS = 24 * HOUR_MS;
export const TOUCH_WEEK_MS = 7 * TOUCH_DAY_MS;

/**
 * Two a day lets a failed channel fall back to the next one the same day (an unanswered call, then
 * an email) but never a third attempt; five a week fits a three-step sequence plus two fallbacks.
 * The same values are the defaults of organizations.max_touches_per_day / _per_week.
 */
export const DEFAULT_TOUCH_CAPS = { maxPerDay: 2, maxPerWeek: 5 } as const;

/**
 * May this lead be touched again at `now`? `touches` are its outbound touches on every channel.
 * The windows roll: a touch counts for exactly 24 h (and 7 d) after it, so a touch made exactly 24 h
 * ago no longer counts. Touches stamped after `now` (another worker's clock) count until they age
 * out too, which keeps the answer from changing when time moves on without new touches.
 */
export function touchCapCheck(input: {
  now: Date;
  touches: readonly Date[];
  maxPerDay: number;
  maxPerWeek: number;
}): PolicyDecision {
  const nowMs = input.now.getTime();
  const freeAt = Math.max(
    nowMs,
    capFreesAt(input.touches, nowMs, TOUCH_DAY_MS, input.maxPerDay),
    capFreesAt(input.touches, nowMs, TOUCH_WEEK_MS, input.maxPerWeek),
  );
  return freeAt === nowMs ? { allowed: true } : { allowed: false, nextAllowedAt: new Date(freeAt) };
}

/**
 * The first instant from `nowMs` on at which fewer than `max` touches fall in the rolling window.
 * Counts only fall as time passes, so the later of the two caps' answers satisfies both.
 */
function capFreesAt(touches: readonly Date[], nowMs: number, windowMs: number, max: number): number {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`a touch cap must be a whole number ≥ 1, got ${max}`);
  const counted = touches
    .map((touch) => touch.getTime())
    .filter((ms) => ms > nowMs - windowMs)
    .sort((a, b) => a - b);
  if (counted.length < max) return nowMs;
  // Once the oldest (count − max + 1) touches have aged out, max − 1 remain.
  const mustAgeOut = counted[counted.length - max];
  return mustAgeOut === undefined ? nowMs : mustAgeOut + windowMs;
}
