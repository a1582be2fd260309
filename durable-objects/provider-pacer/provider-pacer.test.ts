import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const pacer = (name: string) => env.PROVIDER_PACER.get(env.PROVIDER_PACER.idFromName(name));
const T0 = 1_800_000_000_000;
/**
 * A Telegram account's 30 s floor: the one channel whose limit tests leave as in production (they
 * raise email's and voice's so campaigns run fast).
 */
const GAP_MS = 30_000;

/** Grants each org gets when all of them ask for `wanted` every 3 s for `forMs`. */
async function contend(name: string, orgs: string[], forMs: number, wanted = 10): Promise<Record<string, number>> {
  const stub = pacer(name);
  const got = Object.fromEntries(orgs.map((org) => [org, 0]));
  for (let t = T0; t < T0 + forMs; t += 3_000) {
    for (const org of orgs) got[org]! += (await stub.grant("telegram", wanted, t, { orgId: org })).granted;
  }
  return got;
}

describe("the provider pacer shared by every campaign", () => {
  it("grants what the provider allows now and says when the rest may go", async () => {
    const stub = pacer("pacer-telegram");
    const org = { orgId: "org_a" };
    expect(await stub.grant("telegram", 5, T0, org)).toEqual({ granted: 1, retryAt: T0 + GAP_MS });
    const early = await stub.grant("telegram", 1, T0 + 10_000, org);
    expect(early.granted).toBe(0);
    // Rounded up to the next whole millisecond, never early.
    expect(early.retryAt! - T0).toBeGreaterThanOrEqual(GAP_MS);
    expect(early.retryAt! - T0).toBeLessThanOrEqual(GAP_MS + 1);
    expect(await stub.grant("telegram", 3, T0 + 90_000, org)).toEqual({ granted: 1, retryAt: T0 + 90_000 + GAP_MS });
  });

  it("keeps one budget across callers: two campaigns asking at once share it", async () => {
    const stub = pacer("pacer-shared");
    const [a, b] = await Promise.all([stub.grant("telegram", 1, T0, { orgId: "org_a" }), stub.grant("telegram", 1, T0, { orgId: "org_b" })]);
    expect(a.granted + b.granted).toBe(1);
  });

  it("follows the configured email rate (EMAIL_SENDS_PER_SECOND, 500 in tests), 10% under", async () => {
    const stub = pacer("pacer-email");
    const org = { orgId: "org_a" };
    expect((await stub.grant("email", 1000, T0, org)).granted).toBe(250);
    // Half a second refills half of 500 a second, paced 10% under: 227, not 250.
    expect((await stub.grant("email", 1000, T0 + 500, org)).granted).toBe(227);
  });

  it("gives an org alone the account's whole rate", async () => {
    const got = await contend("pacer-alone", ["org_a"], 600_000);
    expect(got.org_a).toBe(600_000 / GAP_MS);
  });

  it("splits the account evenly between orgs waiting at once, whoever asks first", async () => {
    const got = await contend("pacer-fair", ["org_big", "org_small"], 600_000);
    const total = got.org_big! + got.org_small!;
    expect(total).toBe(600_000 / GAP_MS);
    expect(Math.abs(got.org_big! - got.org_small!)).toBeLessThanOrEqual(1);
  });

  it("holds a sender to its own hourly pace without slowing other senders", async () => {
    const stub = pacer("pacer-sender");
    const warming = { orgId: "org_a", sender: { key: "new.example", perHour: 60 } };
    expect(await stub.grant("email", 10, T0, warming)).toEqual({ granted: 1, retryAt: T0 + 60_000 });
    expect((await stub.grant("email", 10, T0 + 30_000, warming)).granted).toBe(0);
    expect((await stub.grant("email", 10, T0 + 30_000, { orgId: "org_b" })).granted).toBe(10);
    expect((await stub.grant("email", 10, T0 + 60_000, warming)).granted).toBe(1);
  });

  it("admits an email when the account's last second has room (the window itself: send-window.test.ts)", async () => {
    expect(await pacer("pacer-window").admit("email")).toEqual({ ok: true });
  });

  it("holds a sender's pace at the moment of sending too, when two granted sends arrive together", async () => {
    const stub = pacer("pacer-sender-admit");
    await stub.grant("email", 1, Date.now(), { orgId: "org_a", sender: { key: "new.example", perHour: 60 } });
    const before = Date.now();
    expect(await stub.admit("email", "new.example")).toEqual({ ok: true });
    const second = await stub.admit("email", "new.example");
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.retryAt).toBeGreaterThanOrEqual(before + 60_000);
    // Another domain, and the account as a whole, are not held by it.
    expect(await stub.admit("email", "other.example")).toEqual({ ok: true });
  });
});
