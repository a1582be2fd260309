import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FakeWorker, SendResult, startTestPool, eventually, type TestPool } from "./test-support.ts";

const ReplyBody = z.strictObject({
  accountId: z.string(),
  messageId: z.number().int(),
  from: z.strictObject({ userId: z.string(), username: z.string().nullable(), phone: z.string().nullable() }),
  text: z.string(),
  date: z.iso.datetime(),
});

let pool: TestPool;
let worker: FakeWorker;
beforeAll(async () => {
  pool = await startTestPool();
});
afterAll(async () => {
  await pool.close();
});
beforeEach(async () => {
  worker = await new FakeWorker().start();
  pool.setWorkerUrl(worker.url);
  await pool.call("POST", "/sandbox/telegram/reset");
});
afterEach(async () => {
  await worker.close();
});

const inject = (accountId: string, fromUsername: string, text: string) =>
  fetch(`${pool.url}/sandbox/telegram/reply`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accountId, fromUsername, text }) });

describe("replies from leads", () => {
  it("posts a lead's reply to the Worker's webhook, signed like the Worker's own calls", async () => {
    await pool.signIn("acc-replies");
    const injected = await inject("acc-replies", "olena_k", "Yes, tell me more");
    expect(await injected.json()).toMatchObject({ delivered: true });
    const delivery = await eventually(() => worker.received[0], { what: "the reply to reach the Worker" });
    expect(delivery.path).toBe("/api/webhook/telegram");
    expect(delivery.signed).toBe(true);
    const body = ReplyBody.parse(JSON.parse(delivery.body));
    expect(body).toMatchObject({ accountId: "acc-replies", from: { username: "olena_k", phone: null }, text: "Yes, tell me more" });
  });

  it("hears the canned answer of a lead who replies, through the same path", async () => {
    const session = await pool.signIn("acc-auto");
    const sent = await pool.json(SendResult, "POST", "/api/send", { accountId: "acc-auto", session, to: { username: "will_reply" }, text: "Hi", idempotencyKey: "auto-1" });
    expect(sent.outcome).toBe("sent");
    const delivery = await eventually(() => worker.received[0], { what: "the lead's answer" });
    const body = ReplyBody.parse(JSON.parse(delivery.body));
    expect(body.from.userId).toBe(sent.outcome === "sent" && sent.peer.userId);
    expect(body.messageId).toBeGreaterThan(sent.outcome === "sent" ? sent.messageId : Infinity);
  });

  it("tries again after a 5xx until the Worker takes it", async () => {
    await pool.signIn("acc-retry");
    worker.answers = [503, 500];
    await inject("acc-retry", "olena_k", "Third time lucky");
    await eventually(() => worker.received.length === 3, { what: "three tries" });
    expect(worker.received.every((d) => d.signed)).toBe(true);
    expect(new Set(worker.received.map((d) => d.body)).size).toBe(1);
  });

  it("does not try again after a 4xx", async () => {
    // Its own pool: close() waits for every post and retry in flight, so "no retry" is a fact, not a timing.
    const own = await startTestPool({ workerUrl: worker.url });
    await own.signIn("acc-refused");
    worker.answers = [400];
    await fetch(`${own.url}/sandbox/telegram/reply`, { method: "POST", body: JSON.stringify({ accountId: "acc-refused", fromUsername: "olena_k", text: "Refused" }) });
    await eventually(() => worker.received.length === 1, { what: "the post" });
    await own.close();
    expect(worker.received).toHaveLength(1);
  });

  it("hears nothing for an account that has no connected client", async () => {
    const injected = await inject("acc-offline", "olena_k", "Anyone there?");
    expect(await injected.json()).toMatchObject({ delivered: false });
    expect(worker.received).toHaveLength(0);
  });
});
