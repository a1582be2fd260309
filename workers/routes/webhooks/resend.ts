import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { webhookReceipts } from "../../../drizzle/schema";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { verifySvixSignature } from "../../providers/webhook-signature/svix";
import { createRouter } from "../router";
import { COMMON_ERRORS, jsonResponse } from "../shared";
import { applyDeliveryEvent, applyInboundEmail } from "./resend-events";

/** https://resend.com/docs/webhooks/event-types — only the fields we act on; the rest may vary. */
const ResendEvent = z.object({
  type: z.string().max(100),
  created_at: z.string().optional(),
  data: z.object({ email_id: z.string().max(200), to: z.array(z.string()).optional(), from: z.string().optional() }).loose(),
});

const Received = z.object({ received: z.literal(true), duplicate: z.boolean(), applied: z.string() });

/** Svix-signed; a missing, wrong or stale signature is refused, a replayed delivery id ignored. */
export function resendWebhookRoutes() {
  return createRouter().openapi(
    createRoute({ method: "post", path: "/webhook/resend", tags: ["Webhooks"], summary: "Resend events: delivery, bounces, complaints, opens, clicks and inbound replies", responses: { 200: jsonResponse(Received, "Applied, or a replay ignored"), 401: COMMON_ERRORS[401], 422: COMMON_ERRORS[422] } }),
    async (c) => {
      const rawBody = await c.req.text();
      const secret = c.get("config").RESEND_WEBHOOK_SECRET;
      if (!secret) throw new AppError("unauthorized", "Resend webhooks are not configured (RESEND_WEBHOOK_SECRET).");
      const verified = await verifySvixSignature({ secret, headers: c.req.raw.headers, rawBody, now: new Date() });
      if (!verified.ok) throw new AppError("unauthorized", `The webhook signature was refused: ${verified.reason}.`);
      const event = parseEvent(rawBody);
      const db = c.get("db");
      const first = await db.insert(webhookReceipts).values({ deliveryId: verified.id, provider: "resend" }).onConflictDoNothing().returning();
      if (first.length === 0) return c.json({ received: true as const, duplicate: true, applied: "nothing" }, 200);
      const applied = event.type === "email.received" ? await applyInboundEmail(c as Context<AppEnv>, event.data.email_id) : await applyDeliveryEvent(db, event.type, event.data.email_id);
      c.get("log").info("resend webhook", { type: event.type, applied });
      return c.json({ received: true as const, duplicate: false, applied }, 200);
    },
  );
}

function parseEvent(rawBody: string) {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("malformed_body", "The webhook body is not JSON.");
  }
  const parsed = ResendEvent.safeParse(json);
  if (!parsed.success) throw new AppError("validation_failed", "The webhook body is not a Resend event.", parsed.error.issues.map((i) => ({ field: `body.${i.path.join(".")}`, message: i.message })));
  return parsed.data;
}
