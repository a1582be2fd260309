import { z } from "zod";
import { ProviderError, type EmailSender, type OutboundEmail } from "../ports";

export const DEFAULT_RESEND_BASE_URL = "https://api.resend.com";

export interface ResendSenderOptions {
  /** `RESEND_API_KEY`, a `re_…` key with sending access. */
  apiKey: string;
  /** `RESEND_BASE_URL`; the sandbox's `…/resend` locally. */
  baseUrl?: string;
  /** Per attempt; the queue retries a retryable failure later. */
  timeoutMs?: number;
}

const SentSchema = z.object({ id: z.string().min(1) });
/** https://resend.com/docs/api-reference/errors */
const ErrorSchema = z.object({ name: z.string(), message: z.string() });

const PROVIDER = "resend";

/**
 * Sends through `POST /emails` with a thin fetch: the SDK would wrap this one request. The
 * `Idempotency-Key` header makes Resend answer a repeat with the first email's id instead of
 * sending again (for 24 hours), which is what keeps a redelivered queue message from mailing twice.
 * https://resend.com/docs/api-reference/emails/send-email
 */
export function createResendSender(options: ResendSenderOptions): EmailSender {
  const baseUrl = (options.baseUrl ?? DEFAULT_RESEND_BASE_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 15_000;

  return {
    async send(email, idempotencyKey, signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/emails`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": idempotencyKey,
            "user-agent": "noir-worker",
          },
          body: JSON.stringify(toResendBody(email)),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        // The caller cancelling is not a provider failure: hand its reason back unchanged.
        if (signal?.aborted) throw signal.reason;
        const what = timeout.aborted ? `no answer within ${timeoutMs} ms` : `network error: ${describe(error)}`;
        throw new ProviderError(PROVIDER, what, true);
      }

      const text = await response.text().catch(() => "");
      if (signal?.aborted) throw signal.reason;
      if (response.ok) {
        const sent = SentSchema.safeParse(parseJson(text));
        if (sent.success) return { providerMessageId: sent.data.id };
        // Sent, but we cannot tell its id: a retry with the same key returns it.
        throw new ProviderError(PROVIDER, `unexpected success body (${response.status})`, true, response.status);
      }
      throw errorFor(response.status, text, response.headers.get("retry-after"));
    },
  };
}

/** Resend's REST body: snake_case, `to` as a list, tags as `{name, value}` pairs. */
function toResendBody(email: OutboundEmail): Record<string, unknown> {
  return {
    from: email.from,
    to: [email.to],
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.replyTo === undefined ? {} : { reply_to: email.replyTo }),
    ...(Object.keys(email.headers).length === 0 ? {} : { headers: email.headers }),
    ...(email.tags === undefined ? {} : { tags: Object.entries(email.tags).map(([name, value]) => ({ name, value })) }),
  };
}

/**
 * Retry 429 and 5xx, and a 409 that only says the first request with this key is still running.
 * Any other 4xx (validation, auth, a key reused for a different email) fails the same way again.
 */
function errorFor(status: number, text: string, retryAfter: string | null): ProviderError {
  const body = ErrorSchema.safeParse(parseJson(text));
  const name = body.success ? body.data.name : "unknown_error";
  const message = body.success ? body.data.message : text.slice(0, 200);
  const retryable = status === 429 || status >= 500 || (status === 409 && name === "concurrent_idempotent_requests");
  // Resend's 429 carries Retry-After in seconds (https://resend.com/docs/api-reference/rate-limit).
  const wait = Number(retryAfter);
  return new ProviderError(PROVIDER, `${status} ${name}: ${message}`, retryable, status, retryAfter !== null && Number.isFinite(wait) && wait >= 0 ? Math.ceil(wait) : undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
