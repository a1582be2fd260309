import { and, eq, sql } from "drizzle-orm";
import { callLogs } from "../../drizzle/schema";
import type { CallPlan } from "../../durable-objects/call-session/call-plan";
import type { Db } from "../context";
import { newId } from "../db/ids";
import type { CallBrief } from "../domain/voice/call-brief";
import type { Env } from "../env";
import { ProviderError } from "../providers/ports";
import { connectStreamTwiml } from "../providers/twilio/telephony";
import type { VoiceProviders } from "../providers/voice-registry";
import type { TtsOptions } from "../providers/voice-ports";

/** The longest a call may run before the agent says goodbye, unless the request asks for less. */
const MAX_CALL_SECONDS = 10 * 60;
/** How long Twilio lets it ring. */
const RING_SECONDS = 30;

export interface CallRequest {
  /** Chosen by the caller when it must record the id before dialling (the campaign outbox). */
  callId?: string;
  orgId: string;
  leadId: string | null;
  campaignId: string | null;
  step: number | null;
  from: { number: string; phoneNumberId: string | null };
  to: string;
  brief: CallBrief;
  tts: TtsOptions;
  voicemailMessage: string | null;
  /** Live calls the org may have at once (its voice channel setting, default 5). */
  maxConcurrent: number;
  /** When the agent wraps up (default 10 minutes); the public demo call is short. */
  maxDurationSeconds?: number;
}

export type PlacedCall = { ok: true; callId: string; providerCallId: string } | { ok: false; reason: "busy_org" } | { ok: false; reason: "provider"; error: ProviderError };

/**
 * Places one outbound call: a call_logs row (only while the org is under its concurrent-call cap,
 * checked in the same statement, so two requests cannot both take the last slot), the call's plan
 * in its CallSession, then Twilio's REST call with TwiML that connects the answered call to our
 * media socket, status callbacks and asynchronous answering-machine detection.
 */
export async function placeCall(env: Env, db: Db, providers: VoiceProviders, appUrl: string, request: CallRequest): Promise<PlacedCall> {
  const callId = request.callId ?? newId("call");
  const now = Date.now();
  const inserted = await env.DB.prepare(
    `INSERT INTO call_logs (id, org_id, lead_id, campaign_id, phone_number_id, direction, status, from_number, to_number, transcript, metadata, created_at)
     SELECT ?1, ?2, ?3, ?4, ?5, 'outbound', 'queued', ?6, ?7, '[]', '{}', ?8
     WHERE (SELECT count(*) FROM call_logs WHERE org_id = ?2 AND status IN ('queued', 'in_progress')) < ?9`,
  )
    .bind(callId, request.orgId, request.leadId, request.campaignId, request.from.phoneNumberId, request.from.number, request.to, now, request.maxConcurrent)
    .run();
  if (inserted.meta.changes === 0) return { ok: false, reason: "busy_org" };

  const mediaToken = randomToken();
  const plan: CallPlan = {
    callId,
    orgId: request.orgId,
    leadId: request.leadId,
    campaignId: request.campaignId,
    step: request.step,
    providerCallId: null,
    mediaToken,
    brief: request.brief,
    tts: request.tts,
    voicemailMessage: request.voicemailMessage,
    maxDurationSeconds: Math.min(request.maxDurationSeconds ?? MAX_CALL_SECONDS, MAX_CALL_SECONDS),
  };
  const session = env.CALL_SESSION.get(env.CALL_SESSION.idFromName(callId));
  await session.prepare(plan);

  const base = appUrl.replace(/\/+$/, "");
  try {
    const { providerCallId } = await providers.telephony.placeCall({
      from: request.from.number,
      to: request.to,
      twiml: connectStreamTwiml({ streamUrl: `${base.replace(/^http/, "ws")}/api/voice/media/${callId}`, parameters: { callId, token: mediaToken } }),
      statusCallbackUrl: `${base}/api/webhook/twilio/status?callId=${callId}`,
      amdCallbackUrl: `${base}/api/webhook/twilio/amd?callId=${callId}`,
      timeoutSeconds: RING_SECONDS,
    });
    await session.attach(providerCallId);
    await db.update(callLogs).set({ providerCallId }).where(and(eq(callLogs.id, callId), eq(callLogs.orgId, request.orgId)));
    return { ok: true, callId, providerCallId };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    await db
      .update(callLogs)
      .set({ status: "failed", endedAt: new Date(), metadata: sql`json_object('endReason', ${`Twilio refused the call: ${error.message}`.slice(0, 300)})` })
      .where(and(eq(callLogs.id, callId), eq(callLogs.orgId, request.orgId)));
    return { ok: false, reason: "provider", error };
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, (c) => ({ "+": "-", "/": "_", "=": "" })[c] ?? "");
}
