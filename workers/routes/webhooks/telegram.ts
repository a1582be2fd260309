import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { leads, messages, telegramAccounts, webhookReceipts } from "../../../drizzle/schema";
import type { Db } from "../../context";
import { newId } from "../../db/ids";
import { suppressLead } from "../../db/suppress-lead";
import { isOptOut } from "../../domain/contact-policy";
import { AppError } from "../../errors";
import { verifyPoolRequest } from "../../providers/telegram/pool-signature";
import { createRouter } from "../router";
import { COMMON_ERRORS, jsonResponse } from "../shared";

/** A DM one of our accounts received, as the pool container posts it (container/README.md). */
const IncomingDm = z.strictObject({
  accountId: z.string().min(1).max(64),
  messageId: z.number().int().nonnegative(),
  from: z.strictObject({ userId: z.string().min(1).max(32), username: z.string().max(64).nullable(), phone: z.string().max(32).nullable() }),
  text: z.string().max(20_000),
  date: z.iso.datetime({ offset: true }),
});
type IncomingDm = z.infer<typeof IncomingDm>;

const Received = z.object({ received: z.literal(true), duplicate: z.boolean(), applied: z.string() });

/**
 * Replies from leads, posted by the Telegram pool and signed with the secret the Worker shares with
 * it; unsigned, wrongly signed and stale posts are refused, a repeated one ignored. The reply is
 * matched through the account that received it (so never across orgs) to the lead we wrote to.
 */
export function telegramWebhookRoutes() {
  return createRouter().openapi(
    createRoute({ method: "post", path: "/webhook/telegram", tags: ["Webhooks"], summary: "Telegram replies from the pool container", responses: { 200: jsonResponse(Received, "Applied, or a repeat ignored"), 401: COMMON_ERRORS[401], 400: COMMON_ERRORS[422], 422: COMMON_ERRORS[422] } }),
    async (c) => {
      const rawBody = await c.req.text();
      const secret = c.get("config").TELEGRAM_POOL_SECRET;
      if (!secret) throw new AppError("unauthorized", "Telegram is not configured (TELEGRAM_POOL_SECRET).");
      const verdict = await verifyPoolRequest(secret, { method: "POST", path: new URL(c.req.url).pathname, body: rawBody, headers: c.req.raw.headers }, Math.floor(Date.now() / 1000));
      if (!verdict.ok) throw new AppError("unauthorized", `The pool's signature was refused: ${verdict.reason}.`);
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new AppError("malformed_body", "The body is not JSON.");
      }
      const parsed = IncomingDm.safeParse(json);
      if (!parsed.success) throw new AppError("validation_failed", "The reply is not in the pool's format.", parsed.error.issues.map((i) => ({ field: `body.${i.path.join(".")}`, message: i.message })));
      const db = c.get("db");
      const dm = parsed.data;
      const first = await db.insert(webhookReceipts).values({ deliveryId: `telegram:${dm.accountId}:${dm.messageId}`, provider: "telegram" }).onConflictDoNothing().returning();
      if (first.length === 0) return c.json({ received: true as const, duplicate: true, applied: "nothing" }, 200);
      const applied = await applyReply(db, dm);
      c.get("log").info("telegram reply", { accountId: dm.accountId, applied });
      return c.json({ received: true as const, duplicate: false, applied }, 200);
    },
  );
}

async function applyReply(db: Db, dm: IncomingDm): Promise<string> {
  const [account] = await db.select({ orgId: telegramAccounts.orgId }).from(telegramAccounts).where(eq(telegramAccounts.id, dm.accountId)).limit(1);
  if (!account) return "unknown account";
  const orgId = account.orgId;
  // Our last DM to this person from this account; else the org's lead with their username.
  const [original] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.channel, "telegram"), eq(messages.direction, "outbound"), sql`json_extract(${messages.metadata}, '$.accountId') = ${dm.accountId}`, sql`json_extract(${messages.metadata}, '$.peerUserId') = ${dm.from.userId}`))
    .orderBy(desc(messages.id))
    .limit(1);
  let leadId = original?.leadId ?? null;
  if (!leadId && dm.from.username) {
    const [lead] = await db.select({ id: leads.id }).from(leads).where(and(eq(leads.orgId, orgId), eq(leads.telegramUsername, dm.from.username.toLowerCase()))).limit(1);
    leadId = lead?.id ?? null;
  }
  if (!leadId) return "not from a lead";
  await db.batch([
    db.insert(messages).values({ id: newId("message"), orgId, leadId, campaignId: original?.campaignId ?? null, channel: "telegram", direction: "inbound", status: "delivered", subject: null, content: dm.text, parentId: original?.id ?? null, providerMessageId: String(dm.messageId), idempotencyKey: `inbound:telegram:${dm.accountId}:${dm.messageId}`, metadata: { accountId: dm.accountId, from: dm.from, date: dm.date } }).onConflictDoNothing(),
    ...(original ? [db.update(messages).set({ status: "replied" }).where(eq(messages.id, original.id))] : []),
    db.update(leads).set({ status: "replied", updatedAt: new Date() }).where(and(eq(leads.id, leadId), eq(leads.orgId, orgId), inArray(leads.status, ["new", "contacted"]))),
  ]);
  if (isOptOut(dm.text)) {
    await suppressLead(db, orgId, leadId, "opt_out", "telegram", "asked to stop in a Telegram reply");
    return "reply (opt-out)";
  }
  return "reply";
}
