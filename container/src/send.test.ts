import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Sent, SendResult, startTestPool, type TestPool } from "./test-support.ts";

let pool: TestPool;
beforeAll(async () => {
  pool = await startTestPool();
});
afterAll(async () => {
  await pool.close();
});
beforeEach(async () => {
  expect((await pool.call("POST", "/sandbox/telegram/reset")).status).toBe(204);
});

let keys = 0;
const send = (accountId: string, session: string, to: { username: string } | { phone: string }, text = "Hi, quick question about your stack") =>
  pool.json(SendResult, "POST", "/api/send", { accountId, session, to, text, idempotencyKey: `key-${++keys}` });

async function sentBy(accountId: string) {
  const response = await fetch(`${pool.url}/sandbox/telegram/sent`);
  return Sent.parse(await response.json()).accounts[accountId] ?? [];
}

async function behave(change: Record<string, unknown>) {
  const response = await fetch(`${pool.url}/sandbox/telegram/behaviour`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(change) });
  expect(response.status).toBe(200);
}

describe("sending a message", () => {
  it("delivers a message to a lead by username and says who received it", async () => {
    const session = await pool.signIn("acc-send");
    const result = await send("acc-send", session, { username: "@Olena_Kovalenko" }, "Hello Olena");
    expect(result).toMatchObject({ outcome: "sent", messageId: expect.any(Number), peer: { userId: expect.stringMatching(/^\d+$/), username: "Olena_Kovalenko" } });
    const sent = await sentBy("acc-send");
    expect(sent).toEqual([expect.objectContaining({ text: "Hello Olena", to: expect.objectContaining({ username: "Olena_Kovalenko" }) })]);
    expect(result.outcome === "sent" && result.messageId).toBe(sent[0]?.messageId);
  });

  it("delivers to a lead known only by phone number", async () => {
    const session = await pool.signIn("acc-phone");
    const result = await send("acc-phone", session, { phone: "+380501234567" });
    expect(result).toMatchObject({ outcome: "sent", peer: { username: null } });
    expect((await sentBy("acc-phone"))[0]?.to.phone).toBe("+380501234567");
  });

  it("sends once for a repeated idempotency key, answering the repeat with the first result", async () => {
    const session = await pool.signIn("acc-idem");
    const body = { accountId: "acc-idem", session, to: { username: "repeat_lead" }, text: "Once only", idempotencyKey: "step-42" };
    const [first, concurrent] = await Promise.all([pool.json(SendResult, "POST", "/api/send", body), pool.json(SendResult, "POST", "/api/send", body)]);
    const later = await pool.json(SendResult, "POST", "/api/send", body);
    expect(first.outcome).toBe("sent");
    expect(concurrent).toEqual(first);
    expect(later).toEqual(first);
    expect(await sentBy("acc-idem")).toHaveLength(1);
  });

  it("does not remember an answer that sent nothing, so the same key can be tried after a flood wait", async () => {
    const session = await pool.signIn("acc-idem-flood");
    await send("acc-idem-flood", session, { username: "first_lead" });
    await behave({ minGapSeconds: 60 });
    const body = { accountId: "acc-idem-flood", session, to: { username: "second_lead" }, text: "Later", idempotencyKey: "retry-me" };
    expect((await pool.json(SendResult, "POST", "/api/send", body)).outcome).toBe("flood_wait");
    await behave({ minGapSeconds: 0 });
    expect((await pool.json(SendResult, "POST", "/api/send", body)).outcome).toBe("sent");
  });

  it("reports a flood wait with the seconds left when an account sends too fast", async () => {
    const session = await pool.signIn("acc-flood");
    await behave({ minGapSeconds: 30 });
    expect((await send("acc-flood", session, { username: "lead_one" })).outcome).toBe("sent");
    const second = await send("acc-flood", session, { username: "lead_two" });
    expect(second.outcome).toBe("flood_wait");
    expect(second.outcome === "flood_wait" && second.seconds).toBeGreaterThanOrEqual(29);
    expect(second.outcome === "flood_wait" && second.seconds).toBeLessThanOrEqual(30);
    expect(await sentBy("acc-flood")).toHaveLength(1);
  });

  it("reports peer_flood once an account passes its daily limit", async () => {
    const session = await pool.signIn("acc-peer-flood");
    await behave({ dailyPeerFloodAfter: 2 });
    expect((await send("acc-peer-flood", session, { username: "lead_one" })).outcome).toBe("sent");
    expect((await send("acc-peer-flood", session, { username: "lead_two" })).outcome).toBe("sent");
    expect(await send("acc-peer-flood", session, { username: "lead_three" })).toEqual({ outcome: "peer_flood" });
    expect(await sentBy("acc-peer-flood")).toHaveLength(2);
  });

  it("reports user_not_found for a username nobody has, an invalid one, and a phone not on Telegram", async () => {
    const session = await pool.signIn("acc-missing");
    expect(await send("acc-missing", session, { username: "missing_person" })).toEqual({ outcome: "user_not_found" });
    expect(await send("acc-missing", session, { username: "ab" })).toEqual({ outcome: "user_not_found" });
    expect(await send("acc-missing", session, { phone: "+15550100200" })).toEqual({ outcome: "user_not_found" });
    expect(await sentBy("acc-missing")).toHaveLength(0);
  });

  it("reports privacy_restricted for a lead who takes no messages from strangers", async () => {
    const session = await pool.signIn("acc-private");
    expect(await send("acc-private", session, { username: "private_maria" })).toEqual({ outcome: "privacy_restricted" });
    expect(await sentBy("acc-private")).toHaveLength(0);
  });

  it("reports account_banned for a banned account and drops its client", async () => {
    const session = await pool.signIn("acc-banned");
    await behave({ banned: ["acc-banned"] });
    expect(await send("acc-banned", session, { username: "olena_k" })).toEqual({ outcome: "account_banned" });
    const { accounts } = await pool.json(z.object({ accounts: z.array(z.object({ accountId: z.string() })) }), "GET", "/api/accounts");
    expect(accounts.map((a) => a.accountId)).not.toContain("acc-banned");
  });

  it("reports auth_needed for a session Telegram does not know", async () => {
    expect(await send("acc-unknown", "1AgAOMTQ5LjE1NC4xNjcuNTEBu3forged", { username: "olena_k" })).toEqual({ outcome: "auth_needed" });
    expect(await send("acc-unknown", "sbx1.e30.forged", { username: "olena_k" })).toEqual({ outcome: "auth_needed" });
  });

  it("reconnects with the new session when an account's session changes", async () => {
    const first = await pool.signIn("acc-rotate");
    const second = await pool.signIn("acc-rotate");
    expect(second).not.toBe(first);
    expect((await send("acc-rotate", second, { username: "olena_k" })).outcome).toBe("sent");
    expect(await send("acc-rotate", "sbx1.e30.forged", { username: "olena_k" })).toEqual({ outcome: "auth_needed" });
    expect((await send("acc-rotate", first, { username: "olena_k" })).outcome).toBe("sent");
  });

  it("connects lazily from the session the Worker sends and counts what it sent", async () => {
    const session = await pool.signIn("acc-lazy");
    await pool.call("DELETE", "/api/accounts/acc-lazy");
    const Accounts = z.object({ accounts: z.array(z.object({ accountId: z.string(), state: z.string(), sentSinceConnect: z.number(), lastUsedAt: z.string().nullable() })) });
    expect((await pool.json(Accounts, "GET", "/api/accounts")).accounts.find((a) => a.accountId === "acc-lazy")).toBeUndefined();
    await send("acc-lazy", session, { username: "olena_k" });
    await send("acc-lazy", session, { username: "taras_k" });
    const row = (await pool.json(Accounts, "GET", "/api/accounts")).accounts.find((a) => a.accountId === "acc-lazy");
    expect(row).toMatchObject({ state: "connected", sentSinceConnect: 2, lastUsedAt: expect.any(String) });
  });
});
