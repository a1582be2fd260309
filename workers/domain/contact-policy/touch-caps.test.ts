import { describe, expect, it } from "vitest";
import { DEFAULT_TOUCH_CAPS, touchCapCheck } from "./index";

const HOUR = 60 * 60 * 1000;
const NOW = new Date("2025-06-10T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const check = (touches: Date[], maxPerDay = 2, maxPerWeek = 5) => touchCapCheck({ now: NOW, touches, maxPerDay, maxPerWeek });

describe("touch caps per lead", () => {
  it("defaults to two touches a day and five a week", () => {
    expect(DEFAULT_TOUCH_CAPS).toEqual({ maxPerDay: 2, maxPerWeek: 5 });
  });

  it("allows a lead who has not been touched, or once today", () => {
    expect(check([])).toEqual({ allowed: true });
    expect(check([ago(HOUR)])).toEqual({ allowed: true });
  });

  it("holds a third touch within 24 hours until the oldest of the two is a day old", () => {
    expect(check([ago(3 * HOUR), ago(HOUR)])).toEqual({ allowed: false, nextAllowedAt: new Date(NOW.getTime() + 21 * HOUR) });
  });

  it("stops counting a touch at exactly 24 hours, not a millisecond later", () => {
    expect(check([ago(24 * HOUR), ago(HOUR)])).toEqual({ allowed: true });
    expect(check([ago(24 * HOUR - 1), ago(HOUR)])).toEqual({ allowed: false, nextAllowedAt: new Date(NOW.getTime() + 1) });
  });

  it("holds a sixth touch in a week until the oldest of the five is seven days old", () => {
    const days = [6, 5, 4, 3, 2].map((d) => ago(d * 24 * HOUR + HOUR));
    expect(check(days)).toEqual({ allowed: false, nextAllowedAt: new Date(NOW.getTime() + 23 * HOUR) });
    expect(check([ago(7 * 24 * HOUR), ...days.slice(1)])).toEqual({ allowed: true });
  });

  it("waits for the later of the two caps when both are reached", () => {
    // Two today (day cap frees in 22 h) and five this week, the oldest 6 days ago (frees in 24 h).
    const touches = [ago(6 * 24 * HOUR), ago(4 * 24 * HOUR), ago(3 * 24 * HOUR), ago(2 * HOUR), ago(HOUR)];
    expect(check(touches)).toEqual({ allowed: false, nextAllowedAt: new Date(NOW.getTime() + 24 * HOUR) });
  });

  it("counts touches on every channel alike, in any order", () => {
    expect(check([ago(HOUR), ago(5 * HOUR), ago(30 * HOUR)], 2, 5)).toEqual({ allowed: false, nextAllowedAt: new Date(NOW.getTime() + 19 * HOUR) });
  });

  it("counts a touch stamped slightly in the future by another clock", () => {
    const ahead = new Date(NOW.getTime() + 2000);
    expect(check([ahead, ago(HOUR)])).toEqual({ allowed: false, nextAllowedAt: new Date(NOW.getTime() + 23 * HOUR) });
  });

  it("refuses caps that cannot mean anything", () => {
    expect(() => check([], 0, 5)).toThrow(RangeError);
    expect(() => check([], 2, 1.5)).toThrow(RangeError);
  });
});
