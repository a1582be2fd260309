import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
import { leads, messages } from "../../../drizzle/schema";
import type { AppEnv, Db } from "../../context";
import { newId } from "../../db/ids";
import { suppressLead } from "../../db/suppress-lead";
import { isOptOut } from "../../domain/contact-policy";
import { parseReplyAddress } from "../../domain/email";
import { autoReply } from "../../engine/auto-reply";
import { emailProviders } from "../../providers/registry";
import { fetchReceivedEmail } from "../../providers/resend/inbound-email";

type MessageStatus = (typeof messages.$inferSelect)["status"];

/** Delivery events move our message along; bounces and complaints also suppress the lead. */
const STATUS_OF: Record<string, MessageStatus> = {
  "email.delivered": "delivered",
  "email.opened": "read",
  "email.clicked": "read",
  "email.bounced": "bounced",
  "email.complained": "delivered",
  "email.failed": "failed",
};

export async function applyDeliveryEvent(db: Db, type: string, providerMessageId: string): Promise<string> {
  const status = STATUS_OF[type];
  if (!status) return "ignored";
  // Provider ids are unique across the platform's Resend account; the row carries its own org.
  const [message] = await db.select().from(messages).where(eq(messages.providerMessageId, providerMessageId)).limit(1);
  if (!message) return "unknown message";
  // Never step back: a late "delivered" must not undo "read" or "replied".
  const order: MessageStatus[] = ["pending", "sent", "delivered", "read", "replied"];
  const forward = status === "bounced" || status === "failed" || order.indexOf(status) > order.indexOf(message.status);
  if (forward) await db.update(messages).set({ status, metadata: { ...message.metadata, [`${type}At`]: new Date().toISOString() } }).where(eq(messages.id, message.id));
  if (type === "email.bounced") await suppressLead(db, message.orgId, message.leadId, "bounce", "email", "email bounced");
  if (type === "email.complained") await suppressLead(db, message.orgId, message.leadId, "complaint", "email", "marked as spam");
  return status;
}

/**
 * A reply: matched to our message by the signed reply address it was sent to — never by looking
 * the sender's address up across orgs. The lead is marked replied (which stops its follow-ups),
 * the reply joins the lead's timeline, and "stop"/"unsubscribe" suppresses the lead.
 */
export async function applyInboundEmail(c: Context<AppEnv>, emailId: string): Promise<string> {
  const config = c.get("config");
  if (!config.RESEND_API_KEY || !config.EMAIL_TOKEN_SECRET) return "inbound not configured";
  const email = await fetchReceivedEmail({ apiKey: config.RESEND_API_KEY, baseUrl: config.RESEND_BASE_URL }, emailId);
  let target: { orgId: string; messageId: string } | null = null;
  for (const address of email.to) {
    target = await parseReplyAddress(address, config.EMAIL_TOKEN_SECRET, config.INBOUND_EMAIL_DOMAIN);
    if (target) break;
  }
  if (!target) return "no reply address of ours";
  const db = c.get("db");
  const [original] = await db.select().from(messages).where(and(eq(messages.id, target.messageId), eq(messages.orgId, target.orgId))).limit(1);
  if (!original) return "unknown message";
  const text = (email.text ?? "").slice(0, 20_000);
  const inboundMessageId = newId("message");
  await db.batch([
    db.insert(messages).values({ id: inboundMessageId, orgId: original.orgId, leadId: original.leadId, campaignId: original.campaignId, channel: "email", direction: "inbound", status: "delivered", subject: email.subject ?? null, content: text, parentId: original.id, providerMessageId: email.id, idempotencyKey: `inbound:${email.id}`, metadata: { from: email.from } }).onConflictDoNothing(),
    db.update(messages).set({ status: "replied" }).where(eq(messages.id, original.id)),
    db.update(leads).set({ status: "replied", updatedAt: new Date() }).where(and(eq(leads.id, original.leadId), eq(leads.orgId, original.orgId), inArray(leads.status, ["new", "contacted"]))),
  ]);
  // Only what the lead wrote: the quoted original carries our own "unsubscribe" footer.
  const subject = (email.subject ?? "").replace(/^((re|fwd?|aw|вх|відп)\s*:\s*)+/i, "");
  if (isOptOut(ownWords(text)) || isOptOut(subject)) {
    await suppressLead(db, original.orgId, original.leadId, "opt_out", "email", "asked to stop in a reply");
    return "reply (opt-out)";
  }
  const providers = emailProviders(c.env);
  if (!providers) return "reply";
  const answered = await autoReply({ db, d1: c.env.DB, providers, now: new Date() }, { orgId: original.orgId, leadId: original.leadId, campaignId: original.campaignId, inboundMessageId, inboundEmailId: email.id });
  return answered === "auto-replied" ? "reply (auto-replied)" : "reply";
}

/** The reply above the quoted thread: stops at "> " lines, "On … wrote:" and forwarded headers. */
export function ownWords(text: string): string {
  const kept: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*>/.test(line) || /^On .+wrote:\s*$/i.test(line) || /^-{2,}\s*Original Message/i.test(line) || /^\S.*\s(пише|написав|написала):\s*$/i.test(line)) break;
    kept.push(line);
  }
  return kept.join("\n");
}
