import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const pacer = (name: string) => env.PROVIDER_PACER.get(env.PROVIDER_PACER.idFromName(name));
const T0 = 1_800_000_000_000;
/** Twilio's one call a second, paced 4% under. */
const CALL_GAP_MS = 1040;

/** Grants each org gets when all of them ask for `wanted` every 100 ms for `forMs`. */
async function contend(name: string, orgs: string[], forMs: number, wanted = 10): Promise<Record<string, number>> {
  const stub = pacer(name);
  const got = Object.fromEntries(orgs.map((org) => [org, 0]));
  for (let t = T0; t < T0 + forMs; t += 100) {
    for (const org of orgs) got[org]! += (await stub.grant("voice", wanted, t, { orgId: org })).granted;
  }
  return got;
}

describe("the provider pacer shared by every campaign", () => {
  it("grants what the provider allows now, 4% under its limit, and says when the rest may go", async () => {
    const stub = pacer("pacer-voice");
    const org = { orgId: "org_a" };
    // Twilio: one call a second per account.
    expect(await stub.grant("voice", 5, T0, org)).toEqual({ granted: 1, retryAt: T0 + CALL_GAP_MS });
    const early = await stub.grant("voice", 1, T0 + 500, org);
    expect(early.granted).toBe(0);
    // Rounded up to the next whole millisecond, never early.
    expect(early.retryAt! - T0).toBeGreaterThanOrEqual(CALL_GAP_MS);
    expect(early.retryAt! - T0).toBeLessThanOrEqual(CALL_GAP_MS + 1);
    expect(await stub.grant("voice", 3, T0 + 3000, org)).toEqual({ granted: 1, retryAt: T0 + 3000 + CALL_GAP_MS });
  });

  it("keeps one budget across callers: two campaigns asking at once share it", async () => {
    const stub = pacer("pacer-shared");
    const [a, b] = await Promise.all([stub.grant("telegram", 1, T0, { orgId: "org_a" }), stub.grant("telegram", 1, T0, { orgId: "org_b" })]);
    expect(a.granted + b.granted).toBe(1);
  });

  it("follows the configured email rate (EMAIL_SENDS_PER_SECOND, 500 in tests)", async () => {
    const stub = pacer("pacer-email");
    const org = { orgId: "org_a" };
    expect((await stub.grant("email", 1000, T0, org)).granted).toBe(250);
    expect((await stub.grant("email", 1000, T0 + 1000, org)).granted).toBe(250);
  });

  it("gives an org alone the account's whole rate", async () => {
    const got = await contend("pacer-alone", ["org_a"], 20_000);
    // One call every 1,040 ms, seen by a caller that asks every 100 ms.
    expect(got.org_a).toBeGreaterThanOrEqual(Math.floor(20_000 / 1100));
    expect(got.org_a).toBeLessThanOrEqual(Math.ceil(20_000 / CALL_GAP_MS));
  });

  it("splits the account evenly between orgs waiting at once, whoever asks first", async () => {
    const got = await contend("pacer-fair", ["org_big", "org_small"], 20_000);
    const total = got.org_big! + got.org_small!;
    expect(total).toBeGreaterThanOrEqual(Math.floor(20_000 / 1100));
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

  it("admits a request only while the last second (4% long) holds fewer than the account allows", async () => {
    const stub = pacer("pacer-window");
    // Twilio's one call a second: a second request at once must wait for the first to age out.
    expect(await stub.admit("voice")).toEqual({ ok: true });
    const asked = Date.now();
    const refused = await stub.admit("voice");
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryAt).toBeGreaterThan(asked);
      expect(refused.retryAt).toBeLessThanOrEqual(asked + 1040);
    }
  });
});
