import { Hono, type Context } from "hono";
import { resendError } from "./errors";
import { TeamRateLimit } from "./rate-limit";
import { IdempotencyCache, validKey, type StoredAnswer } from "./idempotency";
import { createResendSandboxApp } from "./sandbox-routes";
import { validateEmail, type EmailRequest } from "./send-request";
import type { ResendStandIn, SentEmail } from "./stand-in";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_BATCH = 100;

/** The wire surface of Resend's API, mounted by the harness under `/resend`. */
export function createResendApp(resend: ResendStandIn, now: () => number = Date.now): Hono {
  const app = new Hono();
  const idempotency = new IdempotencyCache(now);

  // Ours: the next N sends are accepted (and sent) but answered with a 500, as when the connection
  // drops after Resend took the email. The client's retry must not send it twice.
  let answersToLose = 0;
  app.put("/sandbox/lose-answers", async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    const count = typeof body === "object" && body !== null && "count" in body ? Number(body.count) : NaN;
    if (!Number.isInteger(count) || count < 0 || count > 10_000) return c.json({ error: "count must be an integer 0–10000" }, 400);
    answersToLose = count;
    return c.json({ count });
  });

  // Ours: turn Resend's per-team rate limit on (`{"perSecond": 2}`) or off (`null`); GET shows refusals.
  const rateLimit = new TeamRateLimit(now);
  app.put("/sandbox/rate-limit", async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const perSecond = typeof body === "object" && body !== null && "perSecond" in body ? body.perSecond : undefined;
    if (!(perSecond === null || (typeof perSecond === "number" && Number.isInteger(perSecond) && perSecond >= 1 && perSecond <= 10_000))) {
      return c.json({ error: "perSecond must be an integer 1–10000, or null to turn the limit off" }, 400);
    }
    rateLimit.perSecond = perSecond;
    rateLimit.refused = 0;
    return c.json({ perSecond, refused: 0 });
  });
  app.get("/sandbox/rate-limit", (c) => c.json({ perSecond: rateLimit.perSecond, refused: rateLimit.refused }));

  // Ours, not Resend's: what tests and the dev stack use to look inside and to inject mail.
  app.route("/sandbox", createResendSandboxApp(resend));

  // Any `re_…` key is accepted: the stand-in has one team, and keys differ per developer.
  app.use("/emails/*", authenticate);
  app.use("/emails", authenticate);
  // Once per request: Hono's "/emails/*" also matches "/emails".
  app.use("/emails/*", rateLimit.middleware());

  // https://resend.com/docs/api-reference/emails/send-email
  app.post("/emails", async (c) => {
    let accepted = false;
    const response = await idempotent(c, idempotency, "POST /emails", (body) => {
      const checked = validateEmail(body);
      if (!checked.ok) return checked;
      const [email] = resend.accept([checked.email], c.req.header("idempotency-key") ?? null);
      accepted = true;
      return { status: 200, body: { id: email?.id } };
    });
    if (accepted && answersToLose > 0) {
      answersToLose -= 1;
      return resendError(500, "application_error", "The connection dropped after the email was accepted.");
    }
    return response;
  });

  // https://resend.com/docs/api-reference/emails/send-batch-emails
  app.post("/emails/batch", (c) =>
    idempotent(c, idempotency, "POST /emails/batch", (body) => {
      if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
        return { ok: false, status: 422, name: "validation_error", message: `The batch must hold 1 to ${MAX_BATCH} emails.` };
      }
      const permissive = c.req.header("x-batch-validation") === "permissive";
      const valid: EmailRequest[] = [];
      const errors: { index: number; message: string }[] = [];
      for (const [index, item] of body.entries()) {
        const checked = validateEmail(item);
        if (checked.ok) valid.push(checked.email);
        else if (!permissive) return { ...checked, message: `emails[${index}]: ${checked.message}` };
        else errors.push({ index, message: checked.message });
      }
      const sent = resend.accept(valid, c.req.header("idempotency-key") ?? null);
      const data = sent.map((email) => ({ id: email.id }));
      return { status: 200, body: permissive ? { data, errors } : { data } };
    }),
  );

  // https://resend.com/docs/api-reference/emails/retrieve-received-email
  app.get("/emails/receiving/:id", (c) => {
    const email = resend.receivedEmail(c.req.param("id"));
    if (!email) return resendError(404, "not_found", "Email not found");
    return c.json({
      ...commonFields(email),
      bcc: null,
      cc: email.cc.length > 0 ? email.cc : null,
      reply_to: null,
      headers: email.headers,
      message_id: email.messageId,
      attachments: [],
    });
  });

  // https://resend.com/docs/api-reference/emails/retrieve-email
  app.get("/emails/:id", (c) => {
    const id = c.req.param("id");
    if (!UUID.test(id)) return resendError(422, "invalid_parameter", "The `id` must be a valid UUID.");
    const email = resend.email(id);
    if (!email) return resendError(404, "not_found", "Email not found");
    return c.json(emailResource(email));
  });

  app.notFound(() => resendError(404, "not_found", "The requested endpoint does not exist."));
  return app;
}

async function authenticate(c: Context, next: () => Promise<void>): Promise<Response | void> {
  const header = c.req.header("authorization");
  if (!header) return resendError(401, "missing_api_key", "Missing API key in the authorization header.");
  if (!/^Bearer re_[A-Za-z0-9_]+$/.test(header)) return resendError(401, "validation_error", "API key is invalid");
  await next();
}

type Outcome = StoredAnswer | { ok: false; status: number; name: string; message: string };

/** Reads the JSON body and applies the Idempotency-Key rules around `handle`. */
async function idempotent(
  c: Context,
  cache: IdempotencyCache,
  endpoint: string,
  handle: (body: unknown) => Outcome,
): Promise<Response> {
  const key = c.req.header("idempotency-key");
  if (key !== undefined && !validKey(key)) {
    return resendError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return resendError(400, "validation_error", "The request body is not valid JSON.");
  }
  const fingerprint = `${endpoint} ${JSON.stringify(body)}`;
  if (key !== undefined) {
    const seen = cache.lookup(key, fingerprint);
    if (seen.kind === "replay") return c.json(seen.answer.body, 200);
    if (seen.kind === "conflict") {
      return resendError(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
    }
  }
  const outcome = handle(body);
  if ("ok" in outcome) return resendError(outcome.status, outcome.name, outcome.message);
  if (key !== undefined) cache.remember(key, fingerprint, outcome);
  return c.json(outcome.body, 200);
}

/** What Resend's sent and received email resources have in common. */
function commonFields(email: { id: string; to: string[]; from: string; createdAt: string; subject: string; html: string | null; text: string | null }) {
  return { object: "email", id: email.id, to: email.to, from: email.from, created_at: email.createdAt, subject: email.subject, html: email.html, text: email.text };
}

function emailResource(email: SentEmail) {
  return {
    ...commonFields(email),
    bcc: email.bcc.length > 0 ? email.bcc : null,
    cc: email.cc.length > 0 ? email.cc : null,
    reply_to: email.replyTo.length > 0 ? email.replyTo : null,
    last_event: email.lastEvent,
    scheduled_at: null,
    tags: email.tags,
  };
}
