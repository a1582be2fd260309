import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS, humanGapMs, withJitter, type Rng } from "./index";

/** An RNG that replays the given draws. */
const replay = (...draws: number[]): Rng => () => {
  const next = draws.shift();
  if (next === undefined) throw new Error("rng exhausted");
  return next;
};

describe("jitter", () => {
  it("moves a delay by up to ± the fraction, following the RNG", () => {
    expect(withJitter(1000, replay(0), 0.2)).toBe(800);
    expect(withJitter(1000, replay(0.5), 0.2)).toBe(1000);
    expect(withJitter(1000, replay(0.75), 0.2)).toBe(1100);
    expect(withJitter(1000, replay(0.3), 0)).toBe(1000);
  });

  it("stays within bounds for any draw", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ms, fraction, u) => {
        const jittered = withJitter(ms, () => u, fraction);
        expect(jittered).toBeGreaterThanOrEqual(Math.floor(ms * (1 - fraction)));
        expect(jittered).toBeLessThanOrEqual(Math.ceil(ms * (1 + fraction)));
      }),
      { seed: 7 },
    );
  });

  it("refuses an RNG that leaves [0, 1) and a fraction outside [0, 1]", () => {
    for (const bad of [1, -0.1, Number.NaN]) expect(() => withJitter(1000, replay(bad))).toThrow(RangeError);
    expect(() => withJitter(1000, replay(0.5), 1.5)).toThrow(RangeError);
  });
});

describe("human-like gaps between Telegram sends", () => {
  it("spreads gaps over the seed's 30–90 seconds", () => {
    const gap = DEFAULT_RATE_LIMITS.telegramHumanGap;
    expect(gap).toEqual({ minSeconds: 30, maxSeconds: 90 });
    expect(humanGapMs(gap, replay(0))).toBe(30_000);
    expect(humanGapMs(gap, replay(0.5))).toBe(60_000);
    expect(humanGapMs(gap, replay(0.999_999))).toBe(90_000);
    expect(humanGapMs(gap, replay(0.25))).toBe(45_000);
  });

  it("refuses an inverted range", () => {
    expect(() => humanGapMs({ minSeconds: 90, maxSeconds: 30 }, replay(0.5))).toThrow(RangeError);
  });
});
