import { describe, expect, it } from "vitest";
import { admitSend } from "./index";

describe("admitting sends against a sliding window", () => {
  it("admits up to the limit within the window, then names when the oldest ages out", () => {
    let recent: number[] = [];
    for (const at of [0, 10]) {
      const decision = admitSend(recent, at, 2, 1100);
      if (!decision.ok) throw new Error("expected room");
      recent = decision.recent;
    }
    expect(admitSend(recent, 500, 2, 1100)).toEqual({ ok: false, retryAt: 1100 });
    expect(admitSend(recent, 1099, 2, 1100).ok).toBe(false);
    expect(admitSend(recent, 1100, 2, 1100)).toEqual({ ok: true, recent: [10, 1100] });
  });

  it("counts actual send instants, so a late sender cannot crowd the next window", () => {
    // Sends at 0 and 1,000 (the second's timer fired late): the third waits until 1,100, and the
    // fourth until 1,000 + 1,100, not until an instant booked in advance.
    expect(admitSend([0, 1000], 1050, 2, 1100)).toEqual({ ok: false, retryAt: 1100 });
    expect(admitSend([0, 1000], 1100, 2, 1100)).toEqual({ ok: true, recent: [1000, 1100] });
    expect(admitSend([1000, 1100], 1150, 2, 1100)).toEqual({ ok: false, retryAt: 2100 });
  });
});
