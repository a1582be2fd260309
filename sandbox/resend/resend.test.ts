import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSandbox, type Sandbox } from "../harness/server";

const ResendErrorBody = z.strictObject({ statusCode: z.number(), message: z.string(), name: z.string() });

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.resend.clearSent();
  sandbox.setProviderConfig("resend", {});
});

const KEY = "re_123456789_sandbox";
const EMAIL = { from: "Anna <anna@mail.noir.example>", to: "olena@acme.example", subject: "Hi", text: "Hello Olena", html: "<p>Hello Olena</p>" };

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${sandbox.url}/resend${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function expectError(response: Response, status: number, name: string): Promise<string> {
  expect(response.status).toBe(status);
  const body = ResendErrorBody.parse(await response.json());
  expect(body).toMatchObject({ statusCode: status, name });
  return body.message;
}

describe("Resend stand-in: sending", () => {
  it("accepts an email, answers its id, and shows it by id and in the sent list", async () => {
    const response = await post("/emails", { ...EMAIL, reply_to: "reply+x@in.noir.example", tags: [{ name: "campaign", value: "cmp_1" }] });
    expect(response.status).toBe(200);
    const { id } = z.strictObject({ id: z.uuid() }).parse(await response.json());
    const fetched = await fetch(`${sandbox.url}/resend/emails/${id}`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(await fetched.json()).toMatchObject({
      object: "email",
      id,
      to: ["olena@acme.example"],
      reply_to: ["reply+x@in.noir.example"],
      last_event: "delivered",
      tags: [{ name: "campaign", value: "cmp_1" }],
    });
    expect(sandbox.resend.sent().map((email) => email.id)).toEqual([id]);
  });

  it("answers 401 without a bearer re_ key, in Resend's error shape", async () => {
    const anonymous = await fetch(`${sandbox.url}/resend/emails`, { method: "POST", body: JSON.stringify(EMAIL) });
    await expectError(anonymous, 401, "missing_api_key");
    await expectError(await post("/emails", EMAIL, { authorization: "Bearer sk_live_other" }), 401, "validation_error");
  });

  it("answers 422 naming the missing or invalid field", async () => {
    const { subject: _subject, ...noSubject } = EMAIL;
    expect(await expectError(await post("/emails", noSubject), 422, "missing_required_field")).toBe("Missing `subject` field.");
    expect(await expectError(await post("/emails", { ...EMAIL, from: "anna" }), 422, "validation_error")).toMatch(/^Invalid `from` field/);
    expect(await expectError(await post("/emails", { ...EMAIL, to: ["ok@acme.example", "nope"] }), 422, "validation_error")).toMatch(/`to`/);
    await expectError(await post("/emails", { ...EMAIL, tags: [{ name: "bad tag!", value: "x" }] }), 422, "validation_error");
    await expectError(await post("/emails", "{not json"), 400, "validation_error");
    expect(sandbox.resend.sent()).toHaveLength(0);
  });

  it("answers a repeated Idempotency-Key with the first answer and sends nothing more", async () => {
    const first = await (await post("/emails", EMAIL, { "idempotency-key": "welcome/42" })).json();
    const again = await post("/emails", EMAIL, { "idempotency-key": "welcome/42" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(sandbox.resend.sent()).toHaveLength(1);
  });

  it("refuses a key reused with a different body (409) or out of bounds (400)", async () => {
    await post("/emails", EMAIL, { "idempotency-key": "welcome/43" });
    await expectError(await post("/emails", { ...EMAIL, subject: "Other" }, { "idempotency-key": "welcome/43" }), 409, "invalid_idempotent_request");
    await expectError(await post("/emails", EMAIL, { "idempotency-key": "k".repeat(257) }), 400, "invalid_idempotency_key");
    expect(sandbox.resend.sent()).toHaveLength(1);
  });

  it("lets a key be used again after its request failed validation", async () => {
    await expectError(await post("/emails", { ...EMAIL, from: "bad" }, { "idempotency-key": "retry/1" }), 422, "validation_error");
    expect((await post("/emails", EMAIL, { "idempotency-key": "retry/1" })).status).toBe(200);
  });

  it("sends a batch, all or nothing unless permissive validation is asked for", async () => {
    const strict = await post("/emails/batch", [EMAIL, { ...EMAIL, to: "two@acme.example" }]);
    expect(z.object({ data: z.array(z.object({ id: z.uuid() })).length(2) }).safeParse(await strict.json()).success).toBe(true);
    await expectError(await post("/emails/batch", [EMAIL, { ...EMAIL, from: "bad" }]), 422, "validation_error");
    expect(sandbox.resend.sent()).toHaveLength(2);
    const permissive = await post("/emails/batch", [EMAIL, { ...EMAIL, from: "bad" }], { "x-batch-validation": "permissive" });
    expect(await permissive.json()).toMatchObject({ data: [{ id: expect.any(String) }], errors: [{ index: 1 }] });
    expect(sandbox.resend.sent()).toHaveLength(3);
  });

  it("answers 404 and 422 for unknown and malformed email ids", async () => {
    const auth = { headers: { authorization: `Bearer ${KEY}` } };
    await expectError(await fetch(`${sandbox.url}/resend/emails/00000000-0000-4000-8000-000000000000`, auth), 404, "not_found");
    await expectError(await fetch(`${sandbox.url}/resend/emails/not-a-uuid`, auth), 422, "invalid_parameter");
  });

  it("answers injected faults in Resend's own error shape", async () => {
    sandbox.setProviderConfig("resend", { failRate: 1, failStatus: 500 });
    await expectError(await post("/emails", EMAIL), 500, "application_error");
    sandbox.setProviderConfig("resend", { failRate: 1, failStatus: 429 });
    const limited = await post("/emails", EMAIL);
    expect(limited.headers.get("retry-after")).toBe("1");
    await expectError(limited, 429, "rate_limit_exceeded");
    expect(sandbox.resend.sent()).toHaveLength(0);
  });

  it("enforces the team's rate limit when turned on: 429 with Resend's headers, nothing sent", async () => {
    const put = (perSecond: number | null) => fetch(`${sandbox.url}/resend/sandbox/rate-limit`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ perSecond }) });
    expect((await put(2)).status).toBe(200);
    try {
      const answers = await Promise.all([1, 2, 3].map((n) => post("/emails", { ...EMAIL, subject: `n${n}` })));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 429]);
      const refused = answers.find((r) => r.status === 429)!;
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.get("ratelimit-limit")).toBe("2");
      await expectError(refused, 429, "rate_limit_exceeded");
      expect(sandbox.resend.sent()).toHaveLength(2);
      await new Promise((r) => setTimeout(r, 1000));
      expect((await post("/emails", EMAIL)).status).toBe(200);
      expect(await (await fetch(`${sandbox.url}/resend/sandbox/rate-limit`)).json()).toEqual({ perSecond: 2, refused: 1 });
    } finally {
      expect((await put(null)).status).toBe(200);
    }
    expect((await put(0)).status).toBe(400);
  });

  it("lists and clears what was sent over its sandbox route, for tests that only have HTTP", async () => {
    await post("/emails", { ...EMAIL, to: "listed@acme.example" });
    await post("/emails", EMAIL);
    const listed = await (await fetch(`${sandbox.url}/resend/sandbox/sent?to=listed@acme.example`)).json();
    expect(listed).toMatchObject({ data: [{ to: ["listed@acme.example"], subject: "Hi" }] });
    expect((await fetch(`${sandbox.url}/resend/sandbox/sent`, { method: "DELETE" })).status).toBe(204);
    expect(sandbox.resend.sent()).toHaveLength(0);
  });
});
