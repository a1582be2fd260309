import { describe, expect, it } from "vitest";
import { localWindowCheck, type ContactWindow, type PolicyDecision } from "./index";

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAYS = [1, 2, 3, 4, 5];
const OFFICE: ContactWindow = { windowStart: "09:00", windowEnd: "18:00", days: EVERY_DAY };

const check = (iso: string, zone: string, window: ContactWindow) => describeDecision(localWindowCheck({ now: new Date(iso), zone, window }));
/** "allowed", or the next allowed instant as an ISO string, so failures read as times. */
const describeDecision = (decision: PolicyDecision) => (decision.allowed ? "allowed" : decision.nextAllowedAt.toISOString());

describe("quiet hours in the lead's time zone", () => {
  it("allows a contact inside the window, from its first minute to just before its last", () => {
    // Kyiv is UTC+2 in January.
    expect(check("2025-01-15T07:00:00.000Z", "Europe/Kyiv", OFFICE)).toBe("allowed");
    expect(check("2025-01-15T15:59:59.999Z", "Europe/Kyiv", OFFICE)).toBe("allowed");
    expect(check("2025-01-15T16:00:00.000Z", "Europe/Kyiv", OFFICE)).toBe("2025-01-16T07:00:00.000Z");
  });

  it("waits for the window's start in the lead's zone, not the server's", () => {
    expect(check("2025-01-15T12:00:00Z", "America/New_York", OFFICE)).toBe("2025-01-15T14:00:00.000Z");
    expect(check("2025-01-15T12:00:00Z", "Asia/Tokyo", OFFICE)).toBe("2025-01-16T00:00:00.000Z");
  });

  it("skips days that are not in the window: Saturday morning waits for Monday", () => {
    // 2025-01-11 is a Saturday; 10:00 in New York.
    expect(check("2025-01-11T15:00:00Z", "America/New_York", { ...OFFICE, days: WEEKDAYS })).toBe("2025-01-13T14:00:00.000Z");
  });

  it("reads the weekday on the lead's calendar, which can differ from UTC's", () => {
    // Monday 07:00 in Tokyo is still Sunday in UTC.
    expect(check("2025-01-12T22:00:00Z", "Asia/Tokyo", { windowStart: "07:00", windowEnd: "08:00", days: [1] })).toBe("allowed");
  });

  it("lets a window end at midnight, written 00:00 or 24:00", () => {
    // Friday 2025-01-10, 18:00–midnight in Kyiv (UTC+2).
    for (const windowEnd of ["00:00", "24:00"]) {
      const lateFriday: ContactWindow = { windowStart: "18:00", windowEnd, days: [5] };
      expect(check("2025-01-10T21:59:59.999Z", "Europe/Kyiv", lateFriday)).toBe("allowed");
      expect(check("2025-01-10T22:00:00.000Z", "Europe/Kyiv", lateFriday)).toBe("2025-01-17T16:00:00.000Z");
    }
  });

  it("treats 00:00–00:00 as the whole day", () => {
    const mondays: ContactWindow = { windowStart: "00:00", windowEnd: "00:00", days: [1] };
    expect(check("2025-01-12T22:59:00Z", "Europe/Berlin", mondays)).toBe("2025-01-12T23:00:00.000Z");
    expect(check("2025-01-13T22:59:59Z", "Europe/Berlin", mondays)).toBe("allowed");
  });

  it("refuses windows it cannot honour rather than guessing", () => {
    const now = new Date("2025-01-15T12:00:00Z");
    for (const window of [
      { windowStart: "22:00", windowEnd: "02:00", days: EVERY_DAY },
      { windowStart: "09:00", windowEnd: "09:00", days: EVERY_DAY },
      { windowStart: "9:00", windowEnd: "18:00", days: EVERY_DAY },
      { windowStart: "09:00", windowEnd: "18:00", days: [] },
      { windowStart: "09:00", windowEnd: "18:00", days: [0] },
    ]) {
      expect(() => localWindowCheck({ now, zone: "UTC", window }), JSON.stringify(window)).toThrow(RangeError);
    }
    expect(() => localWindowCheck({ now, zone: "Mars/Olympus_Mons", window: OFFICE })).toThrow(RangeError);
  });
});

describe("quiet hours across daylight-saving changes", () => {
  it("Kyiv, spring forward: the next morning opens at 09:00 summer time", () => {
    // 2025-03-30 03:00 EET became 04:00 EEST (UTC+3) at 01:00 UTC.
    expect(check("2025-03-29T18:00:00Z", "Europe/Kyiv", OFFICE)).toBe("2025-03-30T06:00:00.000Z");
  });

  it("Kyiv, spring forward: a window opening in the skipped hour opens at the jump", () => {
    // 02:30 EET; at 01:00 UTC the clock reads 04:00, already inside 03:30–05:00.
    expect(check("2025-03-30T00:30:00Z", "Europe/Kyiv", { windowStart: "03:30", windowEnd: "05:00", days: EVERY_DAY })).toBe(
      "2025-03-30T01:00:00.000Z",
    );
  });

  it("Kyiv, fall back: the next morning opens at 09:00 winter time", () => {
    // 2025-10-26 04:00 EEST became 03:00 EET (UTC+2) at 01:00 UTC.
    expect(check("2025-10-25T17:00:00Z", "Europe/Kyiv", OFFICE)).toBe("2025-10-26T07:00:00.000Z");
    expect(check("2025-10-26T15:59:59Z", "Europe/Kyiv", OFFICE)).toBe("allowed");
    expect(check("2025-10-26T16:00:00Z", "Europe/Kyiv", OFFICE)).toBe("2025-10-27T07:00:00.000Z");
  });

  it("New York, spring forward: Sunday opens at 09:00 EDT", () => {
    // 2025-03-09 02:00 EST became 03:00 EDT (UTC−4) at 07:00 UTC.
    expect(check("2025-03-08T23:00:00Z", "America/New_York", OFFICE)).toBe("2025-03-09T13:00:00.000Z");
  });

  it("New York, spring forward: a window wholly inside the skipped hour does not happen that day", () => {
    const sundayNight: ContactWindow = { windowStart: "02:00", windowEnd: "02:30", days: [7] };
    expect(check("2025-03-09T06:30:00Z", "America/New_York", sundayNight)).toBe("2025-03-16T06:00:00.000Z");
  });

  it("New York, fall back: the repeated hour is local time like any other", () => {
    // 2025-11-02 02:00 EDT became 01:00 EST (UTC−5) at 06:00 UTC, so 01:00–01:30 happens twice.
    const earlySunday: ContactWindow = { windowStart: "01:00", windowEnd: "01:30", days: [7] };
    expect(check("2025-11-02T05:15:00Z", "America/New_York", earlySunday)).toBe("allowed");
    expect(check("2025-11-02T05:45:00Z", "America/New_York", earlySunday)).toBe("2025-11-02T06:00:00.000Z");
    expect(check("2025-11-02T06:30:00Z", "America/New_York", earlySunday)).toBe("2025-11-09T06:00:00.000Z");
  });

  it("New York, fall back: Sunday opens at 09:00 EST", () => {
    expect(check("2025-11-01T22:00:00Z", "America/New_York", OFFICE)).toBe("2025-11-02T14:00:00.000Z");
  });
});
