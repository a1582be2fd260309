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

  it("books each email its own instant, spaced for the account, and refuses one booked too far ahead", async () => {
    const stub = pacer("pacer-slots");
    const slots = [];
    for (let i = 0; i < 40; i++) slots.push(await stub.reserveSlot("email", T0, 50));
    const booked = slots.flatMap((s) => (s.ok ? [s.at] : []));
    // 500 a second, 4% under: one every 2.08 ms, and no more than 50 ms ahead.
    expect(booked.length).toBe(Math.floor(50 / 2.08) + 1);
    expect(booked[0]).toBe(T0);
    for (let i = 1; i < booked.length; i++) {
      expect(booked[i]! - booked[i - 1]!).toBeGreaterThanOrEqual(2.08);
      expect(booked[i]! - booked[i - 1]!).toBeLessThan(2.081);
    }
    const refused = slots.at(-1);
    expect(refused).toMatchObject({ ok: false });
    if (refused && !refused.ok) expect(refused.retryAt).toBeGreaterThan(T0);
  });
});
