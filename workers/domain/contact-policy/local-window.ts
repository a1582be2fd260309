import { toDailyWindow, type ContactWindow, type DailyWindow } from "./contact-window";
import { offsetSegments } from "./zone-offsets";

export type PolicyDecision = { allowed: true } | { allowed: false; nextAllowedAt: Date };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** A window open one day a week opens within 7 days; the rest covers a window skipped by a DST jump. */
const HORIZON_MS = 15 * DAY_MS;

/**
 * May we contact someone in `zone` at `now`? The test is the lead's wall clock: the local weekday is
 * in `days` and the local time is in [windowStart, windowEnd). When not, `nextAllowedAt` is the
 * first later instant when it is, and it is exact across daylight-saving changes:
 *  - a window opening in the hour skipped in spring opens at the jump (02:30 in New York on the
 *    March change opens at 03:00 EDT), and one that lies wholly inside it is skipped that day;
 *  - the hour repeated in autumn is local time like any other, so it counts twice.
 */
export function localWindowCheck(input: { now: Date; zone: string; window: ContactWindow }): PolicyDecision {
  const daily = toDailyWindow(input.window);
  const nowMs = input.now.getTime();
  for (const segment of offsetSegments(input.zone, nowMs, nowMs + HORIZON_MS)) {
    // Within a segment the wall clock is the instant plus a fixed offset, so search in wall time.
    const wallFrom = segment.startMs + segment.offsetMs;
    const wall = firstWallTimeInWindow(daily, wallFrom);
    if (wall !== null && wall - segment.offsetMs < segment.endMs) {
      const at = wall - segment.offsetMs;
      return at === nowMs ? { allowed: true } : { allowed: false, nextAllowedAt: new Date(at) };
    }
  }
  // Unreachable for a valid window: some day of every week keeps its hours.
  throw new Error(`no contact window within ${HORIZON_MS / DAY_MS} days of ${input.now.toISOString()} in ${input.zone}`);
}

/**
 * The earliest wall-clock time at or after `wallMs` inside the window, with wall times written as
 * if they were UTC (so day numbers and weekdays come from plain arithmetic), or null within 8 days.
 */
function firstWallTimeInWindow(daily: DailyWindow, wallMs: number): number | null {
  const firstDay = Math.floor(wallMs / DAY_MS);
  for (let day = firstDay; day <= firstDay + 8; day++) {
    if (!daily.days.has(isoWeekday(day))) continue;
    const opens = day * DAY_MS + daily.startMinute * MINUTE_MS;
    const closes = day * DAY_MS + daily.endMinute * MINUTE_MS;
    if (closes > wallMs) return Math.max(opens, wallMs);
  }
  return null;
}

/** Day 0 of the epoch, 1970-01-01, was a Thursday (ISO 4). */
function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}
