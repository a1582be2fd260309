import { describe, expect, it } from "vitest";
import { CALL_HOURS, channelWindow, contactWindowSchema, localWindowCheck, type ContactWindow } from "./index";

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const window = (windowStart: string, windowEnd: string, days = EVERY_DAY): ContactWindow => ({ windowStart, windowEnd, days });

describe("the hard window for calls", () => {
  it("is 08:00–21:00 local", () => {
    expect(CALL_HOURS).toEqual({ windowStart: "08:00", windowEnd: "21:00" });
  });

  it("narrows a wider campaign window for calls only", () => {
    const campaign = window("07:00", "23:30", [1, 3, 5]);
    expect(channelWindow("voice", campaign)).toEqual(window("08:00", "21:00", [1, 3, 5]));
    expect(channelWindow("email", campaign)).toEqual(campaign);
    expect(channelWindow("telegram", campaign)).toEqual(campaign);
  });

  it("keeps the campaign's hours where they are already inside it", () => {
    expect(channelWindow("voice", window("10:15", "12:45"))).toEqual(window("10:15", "12:45"));
    expect(channelWindow("voice", window("07:30", "08:30"))).toEqual(window("08:00", "08:30"));
    expect(channelWindow("voice", window("20:00", "00:00"))).toEqual(window("20:00", "21:00"));
  });

  it("leaves no time for calls when the campaign runs only in the evening", () => {
    expect(channelWindow("voice", window("21:00", "23:00"))).toBeNull();
    expect(channelWindow("voice", window("05:00", "08:00"))).toBeNull();
  });

  it("never rings a lead at 21:00 local, even when the campaign allows it", () => {
    const campaign = window("09:00", "23:00");
    const hours = channelWindow("voice", campaign);
    if (hours === null) throw new Error("expected call hours");
    // 21:00 in Kyiv (UTC+2 in January).
    const now = new Date("2025-01-15T19:00:00Z");
    expect(localWindowCheck({ now, zone: "Europe/Kyiv", window: hours })).toEqual({ allowed: false, nextAllowedAt: new Date("2025-01-16T07:00:00Z") });
    expect(localWindowCheck({ now, zone: "Europe/Kyiv", window: campaign })).toEqual({ allowed: true });
  });
});

describe("the contact-window schema the routes validate with", () => {
  it.each([
    ["office hours", window("09:00", "18:00", [1, 2, 3, 4, 5])],
    ["until midnight", window("18:00", "00:00", [6])],
    ["until 24:00", window("18:00", "24:00", [7])],
    ["the whole day", window("00:00", "00:00")],
  ])("accepts %s", (_, value) => {
    expect(contactWindowSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ["a window past midnight", window("22:00", "02:00")],
    ["an empty window", window("09:00", "09:00")],
    ["a start of 24:00", window("24:00", "24:00")],
    ["an hour without a leading zero", window("9:00", "18:00")],
    ["minute 60", window("09:60", "18:00")],
    ["no days", window("09:00", "18:00", [])],
    ["day 0", window("09:00", "18:00", [0, 1])],
    ["day 8", window("09:00", "18:00", [8])],
  ])("refuses %s", (_, value) => {
    expect(contactWindowSchema.safeParse(value).success).toBe(false);
  });
});
