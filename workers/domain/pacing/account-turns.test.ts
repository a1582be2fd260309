import { describe, expect, it } from "vitest";
import { takeAccountTurns, type AccountSlot } from "./account-turns";

const NOW = 1_800_000_000_000;
const GAP = { minSeconds: 30, maxSeconds: 90 };
const slot = (id: string, over: Partial<AccountSlot> = {}): AccountSlot => ({ id, readyAt: NOW, left: 10, sentToday: 0, ...over });
const rng = (...values: number[]) => () => values.shift() ?? 0.5;

describe("turns on a pool of Telegram accounts", () => {
  it("gives each ready account one turn, fewest sent today first, then a human gap of 30–90 s", () => {
    const turns = takeAccountTurns({ wanted: 5, now: NOW, accounts: [slot("a", { sentToday: 3 }), slot("b", { sentToday: 1 }), slot("c", { sentToday: 2 })], nextAt: {}, gap: GAP, rng: rng(0, 0.5, 0.999) });
    expect(turns.assignments).toEqual(["b", "c", "a"]);
    expect(turns.nextAt).toEqual({ b: NOW + 30_000, c: NOW + 60_000, a: NOW + 89_940 });
    expect(turns.retryAt).toBe(NOW + 30_000);
  });

  it("skips accounts still in their gap or cooling down, and those with nothing left today", () => {
    const turns = takeAccountTurns({ wanted: 3, now: NOW, accounts: [slot("gap"), slot("cool", { readyAt: NOW + 5_000 }), slot("spent", { left: 0 }), slot("ok")], nextAt: { gap: NOW + 1_000 }, gap: GAP, rng: rng() });
    expect(turns.assignments).toEqual(["ok"]);
    expect(turns.retryAt).toBe(NOW + 1_000);
  });

  it("says there is no turn left today when every account has spent its allowance", () => {
    const turns = takeAccountTurns({ wanted: 1, now: NOW, accounts: [slot("a", { left: 0 })], nextAt: {}, gap: GAP, rng: rng() });
    expect(turns).toEqual({ assignments: [], retryAt: null, nextAt: {} });
  });
});
