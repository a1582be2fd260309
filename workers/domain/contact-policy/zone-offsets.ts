// @date-fns/tz reads UTC offsets from the runtime's Intl data and caches its formatter per zone.
import { tzOffset } from "@date-fns/tz";

/** A stretch of time [startMs, endMs) over which a zone's UTC offset does not change. */
export interface OffsetSegment {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

/**
 * Six hours: no zone in tzdb changes its offset twice within that span, so equal offsets at both
 * ends of a step mean no change inside it. Small enough that most checks look at a step or two.
 */
const STEP_MS = 6 * 60 * 60 * 1000;

/**
 * Yields [fromMs, toMs) as consecutive constant-offset segments, lazily, so a caller that finds its
 * answer in the first segment pays for one or two offset look-ups. Transitions are located to the
 * millisecond by bisection, so a window that opens when the clocks jump opens at the jump.
 */
export function* offsetSegments(zone: string, fromMs: number, toMs: number): Generator<OffsetSegment> {
  let start = fromMs;
  let offset = offsetAt(zone, start);
  while (start < toMs) {
    const stepEnd = Math.min(start + STEP_MS, toMs);
    const endOffset = offsetAt(zone, stepEnd);
    if (endOffset === offset) {
      yield { startMs: start, endMs: stepEnd, offsetMs: offset };
      start = stepEnd;
      continue;
    }
    const change = firstChange(zone, start, stepEnd, offset);
    yield { startMs: start, endMs: change, offsetMs: offset };
    start = change;
    offset = offsetAt(zone, change);
  }
}

/** The zone's offset from UTC in ms at an instant; throws for a zone the runtime does not know. */
export function offsetAt(zone: string, ms: number): number {
  const minutes = tzOffset(zone, new Date(ms));
  if (Number.isNaN(minutes)) throw new RangeError(`unknown time zone "${zone}"`);
  return minutes * 60_000;
}

/** The first instant in (lo, hi] whose offset differs from `offset`, given that hi's does. */
function firstChange(zone: string, lo: number, hi: number, offset: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(zone, mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}
