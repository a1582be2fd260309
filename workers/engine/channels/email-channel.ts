import { z } from "zod";
import { newId } from "../../db/ids";
import { composeOutboundEmail, replyAddress, senderDomain, signUnsubscribeToken } from "../../domain/email";
import { ProviderError, type EmailBrief, type EmailSender, type EmailWriter, type OutboundEmail } from "../../providers/ports";
import type { Db } from "../../context";
import type { ChannelSender, SendContext, SendResult } from "../channel-sender";
import { outreachBrief } from "../outreach-brief";
import { claimSend, commitSent, preparePayload, recordAttempt } from "./outbox";

export interface EmailChannelConfig {
  writer: EmailWriter;
  sender: EmailSender;
  db: Db;
  d1: D1Database;
  /** Public origin of the app, for the unsubscribe link. */
  appUrl: string;
  /** `Name <address>` when the org configured no sender. */
  defaultFrom: string;
  inboundDomain: string;
  tokenSecret: string;
}

const SenderSettings = z.object({ fromEmail: z.string(), fromName: z.string().optional(), replyTo: z.string().optional(), maxPerHour: z.number().int().positive() }).partial();
/**
 * What the outbox keeps of a prepared email, read back on a retry. Every field must survive: Resend
 * refuses a reused idempotency key whose body differs (409), so a lossy copy would fail the retry.
 */
const PreparedEmail = z.strictObject({
  from: z.string(),
  to: z.string(),
  replyTo: z.string().optional(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()).optional(),
});

/**
 * Email through the outbox: write the email once (LLM, or the template when it fails), keep it,
 * send it under the (campaign, lead, step, channel) idempotency key, then record the message and
 * the usage in one transaction.
 */
export function createEmailChannel(config: EmailChannelConfig): ChannelSender {
  return {
    channel: "email",
    async send(ctx: SendContext): Promise<SendResult> {
      const { lead, campaign, org } = ctx;
      if (!lead.email) return { ok: false, retryable: false, reason: "no email address" };
      const claim = await claimSend(config.db, { idempotencyKey: ctx.idempotencyKey, orgId: org.orgId, campaignId: campaign.id, leadId: lead.id, step: ctx.step, channel: "email" });
      if (claim.state === "sent") return { ok: true, messageId: claim.messageId ?? "" };
      if (claim.state === "failed") return { ok: false, retryable: false, reason: claim.lastError ?? "failed earlier" };

      let email: OutboundEmail;
      let messageId = claim.messageId;
      const kept = PreparedEmail.safeParse(claim.payload);
      if (kept.success && messageId) {
        email = kept.data;
      } else {
        messageId = newId("message");
        email = await prepareEmail(config, ctx, lead.email, messageId);
        await preparePayload(config.db, ctx.idempotencyKey, { ...email }, messageId);
      }
      try {
        const { providerMessageId } = await config.sender.send(email, ctx.idempotencyKey);
        await commitSent(config.d1, {
          key: ctx.idempotencyKey,
          orgId: org.orgId,
          metric: "emails",
          now: ctx.now,
          providerMessageId,
          message: { id: messageId, leadId: lead.id, campaignId: campaign.id, channel: "email", subject: email.subject, content: email.text, metadata: { to: email.to, from: email.from, step: ctx.step } },
        });
        return { ok: true, messageId };
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        await recordAttempt(config.db, ctx.idempotencyKey, error.message, !error.retryable);
        return { ok: false, retryable: error.retryable, reason: error.message, ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }) };
      }
    },
  };
}

/** The sender line: the org's configured sender, else the platform default. */
export function senderOf(channelConfig: Record<string, unknown> | null, fallback: string): { from: string; name: string | null } {
  const settings = SenderSettings.safeParse(channelConfig ?? {});
  const fromEmail = settings.success ? settings.data.fromEmail : undefined;
  const name = (settings.success && settings.data.fromName) || null;
  return { from: fromEmail ? (name ? `${name} <${fromEmail}>` : fromEmail) : fallback, name };
}

/**
 * The sender's own pace when the org set one (say 50 an hour while a new domain warms up), keyed
 * by the sending domain so every campaign from that domain shares it; null means the Resend
 * account's limit alone governs.
 */
export function emailSenderPace(channelConfig: Record<string, unknown> | null): { key: string; perHour: number } | null {
  const settings = SenderSettings.safeParse(channelConfig ?? {});
  if (!settings.success || !settings.data.maxPerHour || !settings.data.fromEmail) return null;
  return { key: senderDomain(settings.data.fromEmail), perHour: settings.data.maxPerHour };
}

/** Writes the email (LLM or template) and composes it with its unsubscribe link and signed reply address. */
export async function writeEmail(config: Pick<EmailChannelConfig, "writer" | "appUrl" | "inboundDomain" | "tokenSecret">, input: { orgId: string; leadId: string; messageId: string; from: string; to: string; brief: EmailBrief; tags?: Record<string, string> }): Promise<OutboundEmail> {
  const draft = await config.writer.write(input.brief);
  const token = await signUnsubscribeToken({ orgId: input.orgId, leadId: input.leadId }, config.tokenSecret);
  return composeOutboundEmail({
    draft,
    from: input.from,
    to: input.to,
    language: input.brief.language,
    unsubscribe: { url: `${config.appUrl}/api/unsubscribe/${token}` },
    replyTo: await replyAddress({ orgId: input.orgId, messageId: input.messageId }, config.tokenSecret, config.inboundDomain),
    ...(input.tags ? { tags: input.tags } : {}),
  });
}

async function prepareEmail(config: EmailChannelConfig, ctx: SendContext, to: string, messageId: string): Promise<OutboundEmail> {
  const sender = senderOf(ctx.channelConfig, config.defaultFrom);
  const brief = outreachBrief(ctx, sender.name ?? ctx.org.orgName, "email");
  return writeEmail(config, { orgId: ctx.org.orgId, leadId: ctx.lead.id, messageId, from: sender.from, to, brief, tags: { campaign: ctx.campaign.id } });
}
