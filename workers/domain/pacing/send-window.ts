export type WindowDecision =
  /** Send now; `recent` is the log to keep. */
  | { ok: true; recent: number[] }
  /** `limit` sends already went within the window: the earliest instant another may. */
  | { ok: false; retryAt: number };

/**
 * A provider's "N requests per second", held at the moment of sending: a send is admitted only if
 * fewer than `limit` were admitted in the last `windowMs`. The log holds actual send instants, so
 * a sender whose timer fired late (a busy isolate) cannot crowd the next one into its window, as
 * pre-booked instants can.
 */
export function admitSend(recent: readonly number[], nowMs: number, limit: number, windowMs: number): WindowDecision {
  const inWindow = recent.filter((t) => nowMs - t < windowMs);
  if (inWindow.length < limit) return { ok: true, recent: [...inWindow, nowMs] };
  return { ok: false, retryAt: Math.min(...inWindow) + windowMs };
}
