import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { callLogs, webhookReceipts } from "../../../drizzle/schema";
import type { AppEnv } from "../../context";
import { AppError, notFound } from "../../errors";
import { verifyTwilioSignature } from "../../providers/twilio/signature";
import { createRouter } from "../router";
import { COMMON_ERRORS, jsonResponse } from "../shared";

/** A callback older than this is refused as stale: Twilio sends them within seconds. */
const MAX_AGE_MS = 10 * 60_000;

const CallQuery = z.object({ callId: z.string().regex(/^call_[0-9a-z]{26}$/).openapi({ description: "Our call id, put in the callback URL when the call was placed" }) });

/** https://www.twilio.com/docs/voice/api/call-resource#statuscallback — the fields we act on. */
const StatusForm = z.object({
  CallSid: z.string().regex(/^CA[0-9a-f]{32}$/),
  AccountSid: z.string(),
  CallStatus: z.enum(["queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer", "canceled", "failed"]),
  SequenceNumber: z.string().regex(/^\d+$/).optional(),
  Timestamp: z.string().optional(),
  CallDuration: z.string().optional(),
});

/** https://www.twilio.com/docs/voice/answering-machine-detection#asyncamdstatuscallback */
const AmdForm = z.object({
  CallSid: z.string().regex(/^CA[0-9a-f]{32}$/),
  AccountSid: z.string(),
  AnsweredBy: z.enum(["human", "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax", "unknown"]),
  MachineDetectionDuration: z.string().optional(),
});

const EndedStatus = z.enum(["completed", "busy", "no-answer", "canceled", "failed"]);

const Received = z.object({ received: z.literal(true), duplicate: z.boolean() });

/**
 * Twilio's status and answering-machine callbacks. Each must carry a valid X-Twilio-Signature for
 * the exact URL and form Twilio posted, must name the call we placed under that id, and is applied
 * once (a retried delivery is acknowledged and ignored).
 */
export function twilioWebhookRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "post", path: "/webhook/twilio/status", tags: ["Webhooks"], summary: "Twilio call status callbacks", request: { query: CallQuery }, responses: { 200: jsonResponse(Received, "Applied, or a repeat ignored"), 401: COMMON_ERRORS[401], 404: COMMON_ERRORS[404], 422: COMMON_ERRORS[422] } }),
      async (c) => {
        const { callId } = c.req.valid("query");
        const form = await signedForm(c, StatusForm);
        if (form.Timestamp && Date.now() - Date.parse(form.Timestamp) > MAX_AGE_MS) throw new AppError("unauthorized", "The callback is stale.");
        const call = await callFor(c, callId, form.CallSid);
        const first = await c.get("db").insert(webhookReceipts).values({ deliveryId: `twilio:${form.CallSid}:${form.CallStatus}:${form.SequenceNumber ?? "-"}`, provider: "twilio" }).onConflictDoNothing().returning();
        if (first.length === 0) return c.json({ received: true as const, duplicate: true }, 200);
        if (form.CallStatus === "in-progress") {
          await c.get("db").update(callLogs).set({ status: "in_progress" }).where(and(eq(callLogs.id, call.id), eq(callLogs.orgId, call.orgId), eq(callLogs.status, "queued")));
        } else {
          const ended = EndedStatus.safeParse(form.CallStatus);
          if (ended.success) await c.env.CALL_SESSION.get(c.env.CALL_SESSION.idFromName(call.id)).callEnded(ended.data);
        }
        return c.json({ received: true as const, duplicate: false }, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/webhook/twilio/amd", tags: ["Webhooks"], summary: "Twilio answering-machine detection result", request: { query: CallQuery }, responses: { 200: jsonResponse(Received, "Applied, or a repeat ignored"), 401: COMMON_ERRORS[401], 404: COMMON_ERRORS[404], 422: COMMON_ERRORS[422] } }),
      async (c) => {
        const { callId } = c.req.valid("query");
        const form = await signedForm(c, AmdForm);
        const call = await callFor(c, callId, form.CallSid);
        const first = await c.get("db").insert(webhookReceipts).values({ deliveryId: `twilio:${form.CallSid}:amd`, provider: "twilio" }).onConflictDoNothing().returning();
        if (first.length === 0) return c.json({ received: true as const, duplicate: true }, 200);
        await c.env.CALL_SESSION.get(c.env.CALL_SESSION.idFromName(call.id)).answeredBy(form.AnsweredBy);
        return c.json({ received: true as const, duplicate: false }, 200);
      },
    );
}

/** The form Twilio posted, once its signature checks out against our auth token. */
async function signedForm<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const authToken = c.get("config").TWILIO_AUTH_TOKEN;
  if (!authToken) throw new AppError("unauthorized", "Twilio is not configured (TWILIO_AUTH_TOKEN).");
  const signature = c.req.header("x-twilio-signature");
  if (!signature) throw new AppError("unauthorized", "The X-Twilio-Signature header is missing.");
  const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
  if (!(await verifyTwilioSignature({ authToken, url: c.req.url, params, signature }))) throw new AppError("unauthorized", "The Twilio signature was refused.");
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new AppError("validation_failed", "The callback is not one Twilio sends.", parsed.error.issues.map((i) => ({ field: `body.${i.path.join(".")}`, message: i.message })));
  if (parsed.data && typeof parsed.data === "object" && "AccountSid" in parsed.data && parsed.data.AccountSid !== c.get("config").TWILIO_ACCOUNT_SID) throw new AppError("unauthorized", "The callback names another Twilio account.");
  return parsed.data;
}

/** The call placed under this id, which must be the one Twilio names. */
async function callFor(c: Context<AppEnv>, callId: string, callSid: string) {
  const [call] = await c.get("db").select({ id: callLogs.id, orgId: callLogs.orgId }).from(callLogs).where(and(eq(callLogs.id, callId), eq(callLogs.providerCallId, callSid))).limit(1);
  if (!call) throw notFound("Call");
  return call;
}
