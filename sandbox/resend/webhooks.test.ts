import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { verifySvixSignature } from "../../workers/providers/webhook-signature/svix";
import { startSandbox, type Sandbox } from "../harness/server";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const Event = z.object({ type: z.string(), created_at: z.string(), data: z.record(z.string(), z.unknown()) });

let sandbox: Sandbox;
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let answerStatus = 200;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(answerStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  if (address === null || typeof address === "string") throw new Error("The receiver is not on a TCP port");
  receiverUrl = `http://127.0.0.1:${(address satisfies AddressInfo).port}/api/webhook/resend`;
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received = [];
  answerStatus = 200;
  sandbox.resend.clearSent();
  sandbox.resend.setWebhook({ url: receiverUrl });
});

async function send(to: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/resend/emails`, {
    method: "POST",
    headers: { authorization: "Bearer re_test", "content-type": "application/json" },
    body: JSON.stringify({ from: "Anna <anna@mail.noir.example>", to, subject: "Hi", text: "Hello" }),
  });
  return z.object({ id: z.string() }).parse(await response.json()).id;
}

/** What arrived, each checked with the Worker's own verifier against the endpoint's secret. */
async function verifiedEvents() {
  await sandbox.resend.settled();
  const events = [];
  for (const delivery of received) {
    const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
    const verdict = await verifySvixSignature({ secret: sandbox.resend.webhookSecret, headers, rawBody: delivery.body });
    expect(verdict).toMatchObject({ ok: true, id: headers["svix-id"] });
    events.push(Event.parse(JSON.parse(delivery.body)));
  }
  return events;
}

describe("Resend stand-in: webhooks", () => {
  it("posts email.sent then email.delivered, Svix-signed, for an ordinary address", async () => {
    const id = await send("olena@acme.example");
    const events = await verifiedEvents();
    expect(events.map((event) => event.type)).toEqual(["email.sent", "email.delivered"]);
    expect(events[1]?.data).toMatchObject({ email_id: id, to: ["olena@acme.example"], subject: "Hi", from: "Anna <anna@mail.noir.example>" });
    expect(new Set(received.map((r) => r.headers["svix-id"])).size).toBe(2);
  });

  it("simulates a bounce and a complaint for Resend's test addresses, labels and all", async () => {
    await send("bounced+step1@resend.dev");
    const bounced = await verifiedEvents();
    expect(bounced.map((event) => event.type)).toEqual(["email.sent", "email.bounced"]);
    expect(bounced[1]?.data.bounce).toMatchObject({ type: "Permanent" });
    received = [];
    await send("complained@resend.dev");
    expect((await verifiedEvents()).map((event) => event.type)).toEqual(["email.sent", "email.delivered", "email.complained"]);
    expect(sandbox.resend.sent().map((email) => email.lastEvent)).toEqual(["bounced", "complained"]);
  });

  it("announces an injected inbound email as email.received, its body fetched by id", async () => {
    const inbound = await fetch(`${sandbox.url}/resend/sandbox/inbound`, {
      method: "POST",
      body: JSON.stringify({ from: "Olena <olena@acme.example>", to: "reply+org_1.msg_1.0123456789abcdef0123@in.noir.example", subject: "Re: Hi", text: "Call me Tuesday." }),
    });
    expect(inbound.status).toBe(201);
    const { id } = z.object({ id: z.string() }).parse(await inbound.json());
    const [event] = await verifiedEvents();
    expect(event).toMatchObject({
      type: "email.received",
      data: { email_id: id, to: ["reply+org_1.msg_1.0123456789abcdef0123@in.noir.example"], subject: "Re: Hi", attachments: [] },
    });
    const full = await fetch(`${sandbox.url}/resend/emails/receiving/${id}`, { headers: { authorization: "Bearer re_test" } });
    expect(await full.json()).toMatchObject({ object: "email", id, text: "Call me Tuesday.", from: "Olena <olena@acme.example>" });
  });

  it("signs with the secret configured over HTTP, and logs what the receiver answered", async () => {
    const secret = "whsec_dGVzdC1zZWNyZXQtZm9yLXRoZS13ZWJob29rLXJvdXRl";
    const configured = await fetch(`${sandbox.url}/resend/sandbox/webhook`, { method: "PUT", body: JSON.stringify({ url: receiverUrl, secret }) });
    expect(await configured.json()).toEqual({ url: receiverUrl, secret });
    answerStatus = 500;
    await send("olena@acme.example");
    const log = await (await fetch(`${sandbox.url}/resend/sandbox/deliveries?wait`)).json();
    expect(log).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ type: "email.delivered", status: 500 })]) });
    const last = received.at(-1);
    const headers = Object.fromEntries(Object.entries(last?.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect((await verifySvixSignature({ secret, headers, rawBody: last?.body ?? "" })).ok).toBe(true);
    expect((await verifySvixSignature({ secret: sandbox.resend.webhookSecret, headers, rawBody: last?.body ?? "" })).ok).toBe(false);
  });

  it("sends nothing once the webhook is removed", async () => {
    expect((await fetch(`${sandbox.url}/resend/sandbox/webhook`, { method: "DELETE" })).status).toBe(204);
    await send("olena@acme.example");
    await sandbox.resend.settled();
    expect(received).toHaveLength(0);
  });
});
