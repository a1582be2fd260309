import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { composeOutboundEmail } from "../../domain/email/compose-email";
import type { OutboundEmail } from "../ports";
import { createResendSender } from "./email-sender";
import { providerFailure as failure, setSandboxFaults } from "../provider-test-kit";

// The sandbox from test/global-setup.ts, reached over HTTP like the real Resend.
const { SANDBOX_URL } = z.object({ SANDBOX_URL: z.url() }).parse(env);
const RESEND_BASE_URL = `${SANDBOX_URL}/resend`;

const SentList = z.object({
  data: z.array(
    z.object({ id: z.string(), to: z.array(z.string()), subject: z.string(), idempotencyKey: z.string().nullable(), replyTo: z.array(z.string()), headers: z.record(z.string(), z.string()), tags: z.array(z.object({ name: z.string(), value: z.string() })), html: z.string().nullable(), text: z.string().nullable() }),
  ),
});

async function sentTo(address: string) {
  const response = await fetch(`${RESEND_BASE_URL}/sandbox/sent?to=${encodeURIComponent(address)}`);
  return SentList.parse(await response.json()).data;
}

const setResendFaults = (config: Record<string, number>) => setSandboxFaults("resend", config);

afterEach(() => setResendFaults({}));

const sender = (options: { apiKey?: string; baseUrl?: string; timeoutMs?: number } = {}) =>
  createResendSender({ apiKey: options.apiKey ?? "re_test_sandbox", baseUrl: options.baseUrl ?? RESEND_BASE_URL, timeoutMs: options.timeoutMs ?? 5_000 });

/** A unique recipient per test, so tests (and files) sharing the sandbox never count each other's mail. */
function email(to: string, overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    ...composeOutboundEmail({
      draft: { subject: "An idea for Acme", text: "Hi Olena,\n\nA short pitch." },
      from: "Anna <anna@mail.noir.example>",
      to,
      language: "en",
      unsubscribe: { url: "https://noir.example/u/org_1.ld_1.tag", mailto: "mailto:unsubscribe@in.noir.example" },
      replyTo: "reply+org_1.msg_1.0123456789abcdef0123@in.noir.example",
      tags: { campaign: "cmp_1", step: "0" },
    }),
    ...overrides,
  };
}

describe("the Resend email sender", () => {
  it("sends the email with its reply address, unsubscribe headers and tags", async () => {
    const to = `lead-${crypto.randomUUID()}@acme.example`;
    const { providerMessageId } = await sender().send(email(to), `send-${to}`);
    const [received] = await sentTo(to);
    expect(received).toMatchObject({
      id: providerMessageId,
      to: [to],
      subject: "An idea for Acme",
      idempotencyKey: `send-${to}`,
      replyTo: ["reply+org_1.msg_1.0123456789abcdef0123@in.noir.example"],
      tags: [{ name: "campaign", value: "cmp_1" }, { name: "step", value: "0" }],
    });
    expect(received?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(received?.html).toContain('href="https://noir.example/u/org_1.ld_1.tag"');
  });

  it("sends once per idempotency key: a redelivered send gets the same id and no second email", async () => {
    const to = `lead-${crypto.randomUUID()}@acme.example`;
    const first = await sender().send(email(to), `cmp_1:ld_1:0:email:${to}`);
    const again = await sender().send(email(to), `cmp_1:ld_1:0:email:${to}`);
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(await sentTo(to)).toHaveLength(1);
    await sender().send(email(to), `cmp_1:ld_1:1:email:${to}`);
    expect(await sentTo(to)).toHaveLength(2);
  });

  it("reports a validation error (422) as not worth retrying", async () => {
    const error = await failure(sender().send(email("lead@acme.example", { from: "not an address" }), crypto.randomUUID()));
    expect(error).toMatchObject({ provider: "resend", status: 422, retryable: false });
    expect(error.message).toMatch(/validation_error/);
  });

  it("reports a key reused for a different email as not worth retrying", async () => {
    const key = crypto.randomUUID();
    await sender().send(email(`a-${key}@acme.example`), key);
    const error = await failure(sender().send(email(`b-${key}@acme.example`), key));
    expect(error).toMatchObject({ status: 409, retryable: false });
  });

  it("reports a refused API key as not worth retrying", async () => {
    const error = await failure(sender({ apiKey: "sk_wrong" }).send(email("lead@acme.example"), crypto.randomUUID()));
    expect(error).toMatchObject({ status: 401, retryable: false });
  });

  it("reports a server error (500) and a rate limit (429) as worth retrying", async () => {
    for (const failStatus of [500, 429]) {
      await setResendFaults({ failRate: 1, failStatus });
      const error = await failure(sender().send(email("lead@acme.example"), crypto.randomUUID()));
      expect(error).toMatchObject({ status: failStatus, retryable: true });
    }
  });

  it("keeps the wait a rate limit (429) names in Retry-After, for the queue to honour", async () => {
    await setResendFaults({ failRate: 1, failStatus: 429 });
    const error = await failure(sender().send(email("lead@acme.example"), crypto.randomUUID()));
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 1 });
  });

  it("reports a timeout and an unreachable server as worth retrying", async () => {
    await setResendFaults({ timeoutRate: 1 });
    const slow = await failure(sender({ timeoutMs: 300 }).send(email("lead@acme.example"), crypto.randomUUID()));
    expect(slow).toMatchObject({ retryable: true, status: undefined });
    expect(slow.message).toMatch(/no answer within 300 ms/);
    const gone = await failure(sender({ baseUrl: "http://127.0.0.1:9" }).send(email("lead@acme.example"), crypto.randomUUID()));
    expect(gone).toMatchObject({ retryable: true });
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    await setResendFaults({ timeoutRate: 1 });
    const controller = new AbortController();
    const pending = sender().send(email("lead@acme.example"), crypto.randomUUID(), controller.signal);
    setTimeout(() => controller.abort(new Error("campaign cancelled")), 50);
    await expect(pending).rejects.toThrow("campaign cancelled");
  });
});
