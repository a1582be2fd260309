import { describe, expect, it } from "vitest";
import { accountPenalty, allowanceToday, availability, shownStatus, type PoolAccount } from "./account-pool";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 26, 9);
const account = (over: Partial<PoolAccount> = {}): PoolAccount => ({ id: "tga_1", status: "warming_up", loggedIn: true, dailyLimit: 30, dailySentCount: 0, dailyCountDate: null, cooldownUntil: null, warmupStartedAt: T0, lastSentAt: null, ...over });

describe("a Telegram account's day", () => {
  it("warms up from 5 DMs on day one by 5 a day to its ceiling, then sends the ceiling", () => {
    expect([0, 1, 2, 5, 9].map((d) => allowanceToday(account(), T0 + d * DAY + 1))).toEqual([5, 10, 15, 30, 30]);
    expect(allowanceToday(account({ status: "active" }), T0)).toBe(30);
    expect(allowanceToday(account({ dailyLimit: 8 }), T0 + 3 * DAY)).toBe(8);
  });

  it("counts only today's sends, and waits for tomorrow once the allowance is spent", () => {
    const today = new Date(T0).toISOString().slice(0, 10);
    expect(availability(account({ dailySentCount: 4, dailyCountDate: today }), T0)).toEqual({ kind: "ready", left: 1 });
    expect(availability(account({ dailySentCount: 5, dailyCountDate: today }), T0)).toEqual({ kind: "later", at: Date.UTC(2026, 10, 27), why: "today's limit reached" });
    expect(availability(account({ dailySentCount: 5, dailyCountDate: "2026-11-25" }), T0)).toEqual({ kind: "ready", left: 5 });
  });

  it("never sends when banned, disabled or logged out, and shows a cooldown while it lasts", () => {
    expect(availability(account({ status: "banned" }), T0).kind).toBe("never");
    expect(availability(account({ status: "disabled" }), T0).kind).toBe("never");
    expect(availability(account({ loggedIn: false }), T0).kind).toBe("never");
    expect(shownStatus(account({ loggedIn: false }), T0)).toBe("login_pending");
    const cooling = account({ cooldownUntil: T0 + 60_000 });
    expect(shownStatus(cooling, T0)).toBe("cooldown");
    expect(availability(cooling, T0)).toMatchObject({ kind: "later", at: T0 + 60_000 });
    expect(shownStatus(cooling, T0 + 60_000)).toBe("warming_up");
  });
});

describe("what Telegram's errors do to an account", () => {
  it("a flood wait rests it exactly as long as asked, and holds the warm-up for a day", () => {
    expect(accountPenalty(account(), { outcome: "flood_wait", seconds: 420 }, T0 + DAY)).toMatchObject({ cooldownUntil: T0 + DAY + 420_000, warmupStartedAt: T0 + DAY });
    expect(accountPenalty(account({ status: "active" }), { outcome: "flood_wait", seconds: 5 }, T0)).not.toHaveProperty("warmupStartedAt");
  });

  it("PEER_FLOOD halves today's allowance into its ceiling and rests it a day", () => {
    const changes = accountPenalty(account({ status: "active", dailyLimit: 30 }), { outcome: "peer_flood" }, T0);
    expect(changes).toMatchObject({ dailyLimit: 15, cooldownUntil: T0 + DAY });
    expect(changes?.lastError).toContain("PEER_FLOOD");
  });

  it("a ban stops it for good; a revoked session disables it and forgets the session", () => {
    expect(accountPenalty(account(), { outcome: "account_banned" }, T0)).toMatchObject({ status: "banned" });
    expect(accountPenalty(account(), { outcome: "auth_needed" }, T0)).toMatchObject({ status: "disabled", dropSession: true });
    expect(accountPenalty(account(), { outcome: "user_not_found" }, T0)).toBeNull();
  });
});
