import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localWindowCheck, type ContactWindow } from "./index";

const MINUTE_MS = 60_000;
const ISO_WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Zones with ordinary DST, half-hour DST (Lord Howe), odd offsets, southern-hemisphere DST, none.
const ZONES = [
  "Europe/Kyiv", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns",
  "Pacific/Chatham", "UTC", "Asia/Tokyo", "Europe/London", "America/Santiago", "Pacific/Kiritimati",
];
// DST changes in 2025, with their zones, to put `now` and the window's opening near them.
const TRANSITIONS: readonly (readonly [string, number])[] = (
  [
    ["Europe/Kyiv", "2025-03-30T01:00:00Z"], ["Europe/Kyiv", "2025-10-26T01:00:00Z"], ["Europe/London", "2025-03-30T01:00:00Z"],
    ["America/New_York", "2025-03-09T07:00:00Z"], ["America/New_York", "2025-11-02T06:00:00Z"],
    ["America/St_Johns", "2025-03-09T05:30:00Z"], ["America/St_Johns", "2025-11-02T04:30:00Z"],
    ["Australia/Lord_Howe", "2025-04-05T15:00:00Z"], ["Australia/Lord_Howe", "2025-10-04T15:30:00Z"],
    ["America/Santiago", "2025-04-06T03:00:00Z"], ["America/Santiago", "2025-09-07T04:00:00Z"],
    ["Pacific/Chatham", "2025-04-05T14:00:00Z"], ["Pacific/Chatham", "2025-09-27T14:00:00Z"],
  ] as const
).map(([zone, iso]) => [zone, Date.parse(iso)] as const);

/**
 * The oracle: the lead's wall clock as Intl formats it, a different path from the code under test
 * (which works on UTC offsets). Allowed means "the local weekday and minute are in the window".
 */
function oracle(zone: string, window: ContactWindow): (ms: number) => boolean {
  const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const start = minuteOf(window.windowStart);
  const end = minuteOf(window.windowEnd) || 24 * 60;
  return (ms) => {
    const { weekday, minute } = oracleParts(zone, ms);
    return window.days.includes(weekday) && minute >= start && minute < end;
  };
}

/** The local ISO weekday and minute of the day. Formatters are slow to build, so one per zone. */
const FORMATS = new Map<string, Intl.DateTimeFormat>();
function oracleParts(zone: string, ms: number): { weekday: number; minute: number } {
  let format = FORMATS.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    FORMATS.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { weekday: ISO_WEEKDAY[parts.weekday ?? ""] ?? 0, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
const toWindow = (start: number, length: number, midnightAs: string, days: number[]): ContactWindow => {
  const end = Math.min(start + length, 24 * 60);
  return { windowStart: hhmm(start), windowEnd: end === 24 * 60 ? midnightAs : hhmm(end), days };
};
const midnightArb = fc.constantFrom("00:00", "24:00");
const daysArb = fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 });

/** Any zone, instant and window. */
const anyCase = fc.record({
  zone: fc.constantFrom(...ZONES),
  nowMs: fc.integer({ min: Date.parse("2020-01-01T00:00:00Z"), max: Date.parse("2030-01-01T00:00:00Z") }),
  window: fc
    .tuple(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 24 * 60 })), midnightArb, daysArb)
    .map(([start, length, midnightAs, days]) => toWindow(start, length, midnightAs, days)),
});

/** `now` shortly before a DST change in its zone, and a short window opening around the change's local time. */
const nearTransition = fc
  .record({
    transition: fc.constantFrom(...TRANSITIONS),
    before: fc.integer({ min: -1 * 60 * MINUTE_MS, max: 8 * 60 * MINUTE_MS }),
    opensAround: fc.integer({ min: -150, max: 150 }),
    length: fc.integer({ min: 1, max: 180 }),
    midnightAs: midnightArb,
    days: fc.oneof(daysArb, fc.constant<number[]>([1, 2, 3, 4, 5, 6, 7])),
  })
  .map(({ transition: [zone, at], before, opensAround, length, midnightAs, days }) => {
    const local = oracleParts(zone, at + opensAround * MINUTE_MS);
    return { zone, nowMs: at - before, window: toWindow(local.minute, length, midnightAs, days) };
  });

describe("localWindowCheck against the lead's wall clock", () => {
  it("says allowed exactly when the clock is in the window, else names the first minute it is", () => {
    fc.assert(
      fc.property(fc.oneof(anyCase, nearTransition), ({ zone, window, nowMs }) => {
        const allowedAt = oracle(zone, window);
        const decision = localWindowCheck({ now: new Date(nowMs), zone, window });
        expect(decision.allowed).toBe(allowedAt(nowMs));
        if (decision.allowed) return;

        const next = decision.nextAllowedAt.getTime();
        expect(next).toBeGreaterThan(nowMs);
        expect(next % MINUTE_MS).toBe(0);
        expect(allowedAt(next)).toBe(true);
        expect(localWindowCheck({ now: decision.nextAllowedAt, zone, window }).allowed).toBe(true);
        // Every allowed stretch starts on a whole minute, so checking minutes finds any earlier one.
        // Long waits are sampled: every minute of the last two hours, and a spread before that.
        const firstMinute = Math.ceil((nowMs + 1) / MINUTE_MS) * MINUTE_MS;
        const minutes = (next - firstMinute) / MINUTE_MS;
        const stride = Math.max(1, Math.floor(minutes / 1500));
        for (let m = firstMinute; m < next; m += m >= next - 120 * MINUTE_MS ? MINUTE_MS : stride * MINUTE_MS) {
          if (allowedAt(m)) expect.fail(`${new Date(m).toISOString()} is allowed, before ${decision.nextAllowedAt.toISOString()}`);
        }
      }),
      { numRuns: 400, seed: 20250330 },
    );
  });
});
