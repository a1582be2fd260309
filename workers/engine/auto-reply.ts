import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { campaigns, channelConfigs, leads, messages, organizations, scripts, suppressions, voiceConfigs } from "../../drizzle/schema";
import type { Db } from "../context";
import { newId } from "../db/ids";
import { readUsage } from "../db/usage";
import { remaining } from "../domain/billing/plans";
import type { EmailBrief } from "../providers/ports";
import type { EmailProviders } from "../providers/registry";
import { senderOf, writeEmail } from "./channels/email-channel";
import { commitSent } from "./channels/outbox";

/** An AI conversation must not turn into a flood: at most this many auto-replies a lead a day. */
export const AUTO_REPLIES_PER_LEAD_PER_DAY = 3;
const DAY_MS = 24 * 3600 * 1000;
const THREAD_LENGTH = 10;

const AutoReplySettings = { enabled: (config: Record<string, unknown> | undefined) => config?.autoReply === true };

/**
 * Answers a lead's reply within the conversation when the org turned auto-replies on: the thread so
 * far, the campaign's script, the voice's language and personality. Never after an opt-out, capped
 * per lead per day, counted in usage, and sent once per inbound email (its id is the idempotency key).
 */
export async function autoReply(deps: { db: Db; d1: D1Database; providers: EmailProviders; now: Date }, input: { orgId: string; leadId: string; campaignId: string | null; inboundMessageId: string; inboundEmailId: string }): Promise<string> {
  const { db, now } = deps;
  const [[config], [org], [lead]] = await Promise.all([
    db.select().from(channelConfigs).where(and(eq(channelConfigs.orgId, input.orgId), eq(channelConfigs.channel, "email"), eq(channelConfigs.status, "active"))).limit(1),
    db.select().from(organizations).where(eq(organizations.id, input.orgId)).limit(1),
    db.select().from(leads).where(and(eq(leads.id, input.leadId), eq(leads.orgId, input.orgId))).limit(1),
  ]);
  if (!AutoReplySettings.enabled(config?.config) || !org || !lead?.email) return "auto-reply off";
  const contacts = [lead.email, lead.phone, lead.telegramUsername].filter((v): v is string => v !== null);
  const [suppressed] = await db.select({ id: suppressions.id }).from(suppressions).where(and(eq(suppressions.orgId, org.id), inArray(suppressions.value, contacts))).limit(1);
  if (suppressed) return "suppressed";
  if (remaining(org.plan, "emails", await readUsage(db, org.id, "emails", now)) <= 0) return "email limit reached";
  const [recent] = await db
    .select({ n: sql<number>`count(*)` })
    .from(messages)
    .where(and(eq(messages.orgId, org.id), eq(messages.leadId, lead.id), eq(messages.direction, "outbound"), gt(messages.createdAt, new Date(now.getTime() - DAY_MS)), sql`json_extract(${messages.metadata}, '$.autoReply') = 1`));
  if ((recent?.n ?? 0) >= AUTO_REPLIES_PER_LEAD_PER_DAY) return "auto-reply cap reached";

  const thread = (await db.select().from(messages).where(and(eq(messages.orgId, org.id), eq(messages.leadId, lead.id), eq(messages.channel, "email"))).orderBy(desc(messages.createdAt)).limit(THREAD_LENGTH)).reverse();
  const [campaign] = input.campaignId ? await db.select().from(campaigns).where(and(eq(campaigns.id, input.campaignId), eq(campaigns.orgId, org.id))).limit(1) : [];
  const [[script], [voice]] = await Promise.all([
    campaign?.scriptId ? db.select().from(scripts).where(and(eq(scripts.id, campaign.scriptId), eq(scripts.orgId, org.id))).limit(1) : Promise.resolve([]),
    campaign?.voiceConfigId ? db.select().from(voiceConfigs).where(and(eq(voiceConfigs.id, campaign.voiceConfigId), eq(voiceConfigs.orgId, org.id))).orderBy(asc(voiceConfigs.id)).limit(1) : Promise.resolve([]),
  ]);
  const sender = senderOf(config?.config ?? null, deps.providers.defaultFrom);
  const brief: EmailBrief = {
    kind: "reply",
    language: voice?.language ?? "en",
    personality: voice?.personality ?? "professional",
    script: script ? { name: script.name, content: script.content, objectionHandlers: script.objectionHandlers } : null,
    lead: { firstName: lead.firstName, lastName: lead.lastName, company: lead.company },
    sender: { name: sender.name ?? org.name, company: org.name },
    thread: thread.map((m) => ({ from: m.direction === "outbound" ? ("us" as const) : ("lead" as const), subject: m.subject, text: m.content ?? "" })),
  };
  const messageId = newId("message");
  const key = `autoreply:${input.inboundEmailId}`;
  const email = await writeEmail(deps.providers, { orgId: org.id, leadId: lead.id, messageId, from: sender.from, to: lead.email, brief });
  const { providerMessageId } = await deps.providers.sender.send(email, key);
  await commitSent(deps.d1, {
    key,
    orgId: org.id,
    metric: "emails",
    now,
    providerMessageId,
    message: { id: messageId, leadId: lead.id, campaignId: input.campaignId, parentId: input.inboundMessageId, channel: "email", subject: email.subject, content: email.text, metadata: { to: email.to, autoReply: true } },
  });
  return "auto-replied";
}
