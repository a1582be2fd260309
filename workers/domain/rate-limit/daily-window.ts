/** A fixed window per UTC calendar day: its label, and how long until the next one opens. */

const DAY_MS = 24 * 3600 * 1000;

/** "YYYY-MM-DD" in UTC: the window a hit at `now` counts towards. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Whole seconds until the next UTC midnight (at least 1), for a 429's Retry-After. */
export function secondsToNextUtcDay(now: Date): number {
  const next = Math.floor(now.getTime() / DAY_MS + 1) * DAY_MS;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}
