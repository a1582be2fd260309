import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { callLogs, dispatchOutbox, phoneNumbers } from "../../../drizzle/schema";
import type { Db } from "../../context";
import { newId } from "../../db/ids";
import type { Env } from "../../env";
import type { VoiceProviders } from "../../providers/voice-registry";
import { createDb } from "../../db/client";
import { idempotencyKeyOf, type ChannelSender, type SendContext, type SendResult } from "../channel-sender";
import type { DispatchMessage } from "../dispatch-message";
import { placeCall } from "../place-call";
import { briefFrom } from "../../domain/voice/call-brief";
import { VoiceSettings } from "../../domain/voice/voice-settings";
import { claimSend, commitSent, recordAttempt, replacePayload } from "./outbox";

export interface VoiceChannelConfig {
  env: Env;
  db: Db;
  providers: VoiceProviders;
  /** Public origin: Twilio reaches the media socket and the callbacks there. */
  appUrl: string;
}

/** What the outbox keeps between attempts: the call id, written before Twilio is asked to dial. */
const PreparedCall = z.object({ callId: z.string() });

/** While the org has its maximum of live calls, the lead waits this long before trying again. */
const BUSY_RETRY_SECONDS = 30;

/**
 * A campaign's voice step: places the call through the outbox and leaves the lead in progress
 * while it rings and runs. When the call ends, its session records the outcome on the outbox row
 * (`settleCall`) and dispatches the lead again: reached, the step is done; busy or unanswered, the
 * lead falls back to the next channel. Twilio has no idempotency key, so the call id is stored
 * before dialling, and an attempt that finds a call id without a Twilio call id (a crash mid-dial)
 * does not dial again: a second ring is worse than a missed one.
 */
export function createVoiceChannel(config: VoiceChannelConfig): ChannelSender {
  return {
    channel: "voice",
    async send(ctx: SendContext): Promise<SendResult> {
      const { lead, campaign, org } = ctx;
      if (!lead.phone) return { ok: false, retryable: false, reason: "no phone number" };
      if (!ctx.voice) return { ok: false, retryable: false, reason: "the campaign has no voice configured" };
      const claim = await claimSend(config.db, { idempotencyKey: ctx.idempotencyKey, orgId: org.orgId, campaignId: campaign.id, leadId: lead.id, step: ctx.step, channel: "voice" });
      if (claim.state === "sent") return { ok: true, messageId: claim.messageId ?? "" };
      if (claim.state === "failed") return { ok: false, retryable: false, reason: claim.lastError ?? "failed earlier" };

      const messageId = claim.messageId ?? newId("message");
      const earlier = PreparedCall.safeParse(claim.payload);
      if (earlier.success) {
        const [call] = await config.db.select().from(callLogs).where(and(eq(callLogs.id, earlier.data.callId), eq(callLogs.orgId, org.orgId))).limit(1);
        if (call?.providerCallId && (call.status === "queued" || call.status === "in_progress")) return { ok: false, waiting: true, reason: "call in progress" };
        // The call ended but its outcome never reached the outbox (the session stopped first): settle it now.
        if (call?.providerCallId) return settleCall(config.env.DB, config.db, { key: ctx.idempotencyKey, orgId: org.orgId, campaignId: campaign.id, leadId: lead.id, step: ctx.step, messageId, callId: call.id, providerCallId: call.providerCallId, status: call.status, outcome: call.outcome, now: ctx.now });
        if (call && call.status !== "failed") {
          const reason = "an earlier attempt may have dialled this lead already; not calling twice";
          await recordAttempt(config.db, ctx.idempotencyKey, reason, true);
          return { ok: false, retryable: false, reason };
        }
      }

      const settings = VoiceSettings.parse(ctx.channelConfig ?? {});
      const [from] = await config.db
        .select()
        .from(phoneNumbers)
        .where(and(eq(phoneNumbers.orgId, org.orgId), eq(phoneNumbers.status, "active"), settings.callerPhoneNumberId ? eq(phoneNumbers.id, settings.callerPhoneNumberId) : undefined))
        .orderBy(asc(phoneNumbers.id))
        .limit(1);
      if (!from) return { ok: false, retryable: false, reason: "the org has no phone number to call from" };

      const callId = newId("call");
      await replacePayload(config.db, ctx.idempotencyKey, { callId }, messageId);
      const placed = await placeCall(config.env, config.db, config.providers, config.appUrl, {
        callId,
        orgId: org.orgId,
        leadId: lead.id,
        campaignId: campaign.id,
        step: ctx.step,
        from: { number: from.number, phoneNumberId: from.id },
        to: lead.phone,
        ...briefFrom({ voice: ctx.voice, script: ctx.script, lead, orgName: org.orgName }),
        voicemailMessage: settings.voicemailMessage ?? null,
        maxConcurrent: settings.maxConcurrentCalls,
      });
      if (!placed.ok && placed.reason === "busy_org") {
        // Nothing was dialled: the next attempt may dial with a fresh call id.
        await replacePayload(config.db, ctx.idempotencyKey, {}, messageId);
        return { ok: false, retryable: true, reason: `the org already has ${settings.maxConcurrentCalls} calls live`, retryAfterSeconds: BUSY_RETRY_SECONDS };
      }
      if (!placed.ok) {
        await recordAttempt(config.db, ctx.idempotencyKey, placed.error.message, !placed.error.retryable);
        return { ok: false, retryable: placed.error.retryable, reason: placed.error.message };
      }
      return { ok: false, waiting: true, reason: "call placed" };
    },
  };
}

/** A call counts as reaching the lead when someone (or their voicemail) heard the agent. */
const REACHED: readonly string[] = ["completed", "voicemail"];

/**
 * Records a campaign call's outcome on its outbox row, once: reached → the send is done (a message
 * row in the lead's timeline, no usage: the call's seconds were counted when it ended); not reached
 * (busy, no answer, failed) → the channel failed and the lead falls back to the next one.
 */
export async function settleCall(
  d1: D1Database,
  db: Db,
  call: { key: string; orgId: string; campaignId: string; leadId: string; step: number; messageId: string; callId: string; providerCallId: string; status: string; outcome: string | null; now: Date },
): Promise<SendResult> {
  if (!REACHED.includes(call.status)) {
    const reason = `the call ended ${call.status.replace("_", " ")}`;
    await recordAttempt(db, call.key, reason, true);
    return { ok: false, retryable: false, reason };
  }
  await commitSent(d1, {
    key: call.key,
    orgId: call.orgId,
    metric: "voice_seconds",
    usage: 0,
    now: call.now,
    providerMessageId: call.providerCallId,
    message: { id: call.messageId, leadId: call.leadId, campaignId: call.campaignId, channel: "voice", subject: null, content: `Call: ${call.outcome ?? call.status}`, metadata: { callId: call.callId, step: call.step } },
  });
  return { ok: true, messageId: call.messageId };
}

/**
 * A campaign call has ended (its session calls this once): its outcome goes on the outbox row and
 * the lead is dispatched again, so the engine settles it, or falls back to the next channel, the
 * same way it does for every send.
 */
export async function finishCampaignCall(
  env: Pick<Env, "DB" | "DISPATCH">,
  call: { callId: string; orgId: string; campaignId: string; leadId: string; step: number; providerCallId: string | null; status: string; outcome: string | null },
): Promise<void> {
  const db = createDb(env.DB);
  const key = idempotencyKeyOf(call.campaignId, call.leadId, call.step, "voice");
  const [row] = await db.select().from(dispatchOutbox).where(eq(dispatchOutbox.idempotencyKey, key)).limit(1);
  if (row && row.state !== "sent" && row.state !== "failed" && PreparedCall.safeParse(row.payload).data?.callId === call.callId) {
    await settleCall(env.DB, db, { key, orgId: call.orgId, campaignId: call.campaignId, leadId: call.leadId, step: call.step, messageId: row.messageId ?? newId("message"), callId: call.callId, providerCallId: call.providerCallId ?? "", status: call.status, outcome: call.outcome, now: new Date() });
  }
  await env.DISPATCH.send({ campaignId: call.campaignId, orgId: call.orgId, leadId: call.leadId, step: call.step } satisfies DispatchMessage);
}
