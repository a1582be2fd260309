import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { callLogs, phoneNumbers } from "../../../drizzle/schema";
import type { Db } from "../../context";
import { newId } from "../../db/ids";
import type { Env } from "../../env";
import type { VoiceProviders } from "../../providers/voice-registry";
import type { ChannelSender, SendContext, SendResult } from "../channel-sender";
import { placeCall } from "../place-call";
import { claimSend, commitSent, recordAttempt, replacePayload } from "./outbox";

export interface VoiceChannelConfig {
  env: Env;
  db: Db;
  providers: VoiceProviders;
  /** Public origin: Twilio reaches the media socket and the callbacks there. */
  appUrl: string;
}

const VoiceSettings = z.object({ callerPhoneNumberId: z.string().optional(), voicemailMessage: z.string().optional(), maxConcurrentCalls: z.number().int().min(1).default(5) }).catch({ maxConcurrentCalls: 5 });
/** What the outbox keeps between attempts: the call id, written before Twilio is asked to dial. */
const PreparedCall = z.object({ callId: z.string() });

/** While the org has its maximum of live calls, the lead waits this long before trying again. */
const BUSY_RETRY_SECONDS = 30;

/**
 * A campaign's voice step: places the call through the outbox and counts the lead as reached once
 * Twilio has accepted it; what the call came to lands in call_logs when it ends. Twilio has no
 * idempotency key, so the call id is stored before dialling, and an attempt that finds a call id
 * without a Twilio call id (a crash mid-dial) does not dial again: a second ring is worse than a
 * missed one, and the lead falls back to the next channel.
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
        if (call?.providerCallId) return commit(config, ctx, messageId, earlier.data.callId, call.providerCallId, lead.phone);
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
        brief: {
          language: ctx.voice.language,
          personality: ctx.voice.personality,
          agentName: ctx.voice.name,
          orgName: org.orgName,
          script: ctx.script ? { name: ctx.script.name, content: ctx.script.content, objectionHandlers: ctx.script.objectionHandlers } : null,
          lead: { firstName: lead.firstName, lastName: lead.lastName, company: lead.company },
          openingLine: null,
        },
        tts: { voiceId: ctx.voice.voiceId, language: ctx.voice.language, speed: ctx.voice.speed },
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
      return commit(config, ctx, messageId, callId, placed.providerCallId, lead.phone);
    },
  };
}

async function commit(config: VoiceChannelConfig, ctx: SendContext, messageId: string, callId: string, providerCallId: string, to: string): Promise<SendResult> {
  await commitSent(config.env.DB, {
    key: ctx.idempotencyKey,
    orgId: ctx.org.orgId,
    metric: "voice_seconds",
    usage: 0,
    now: ctx.now,
    providerMessageId: providerCallId,
    message: { id: messageId, leadId: ctx.lead.id, campaignId: ctx.campaign.id, channel: "voice", subject: null, content: "Call placed", metadata: { callId, to, step: ctx.step } },
  });
  return { ok: true, messageId };
}
