import { describe, expect, it } from "vitest";
import { secondsToNextUtcDay, utcDay } from "./daily-window";

describe("the daily rate-limit window", () => {
  it("is the UTC calendar day, whatever the local zone would say", () => {
    expect(utcDay(new Date("2026-03-01T23:59:59.999Z"))).toBe("2026-03-01");
    expect(utcDay(new Date("2026-03-02T00:00:00.000Z"))).toBe("2026-03-02");
  });

  it("tells a refused caller to come back at the next UTC midnight", () => {
    expect(secondsToNextUtcDay(new Date("2026-03-01T00:00:00.000Z"))).toBe(86_400);
    expect(secondsToNextUtcDay(new Date("2026-03-01T23:00:00.000Z"))).toBe(3_600);
    expect(secondsToNextUtcDay(new Date("2026-03-01T23:59:59.500Z"))).toBe(1);
  });
});
