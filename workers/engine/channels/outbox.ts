import { and, eq, ne, sql } from "drizzle-orm";
import { dispatchOutbox } from "../../../drizzle/schema";
import type { Channel } from "../../../drizzle/schema/enums";
import type { Db } from "../../context";
import type { UsageMetric } from "../../domain/billing/plans";
import { incrementUsageIfChanged } from "../../db/usage";

export type OutboxRow = typeof dispatchOutbox.$inferSelect;

/**
 * Claims the send for this idempotency key, or returns the claim an earlier attempt made (with the
 * content it prepared), so a retry sends the very same thing under the very same key.
 */
export async function claimSend(db: Db, key: { idempotencyKey: string; orgId: string; campaignId: string; leadId: string; step: number; channel: Channel }): Promise<OutboxRow> {
  await db.insert(dispatchOutbox).values({ ...key, state: "pending" }).onConflictDoNothing();
  const [row] = await db.select().from(dispatchOutbox).where(eq(dispatchOutbox.idempotencyKey, key.idempotencyKey)).limit(1);
  if (!row) throw new Error("outbox claim vanished");
  return row;
}

export function preparePayload(db: Db, key: string, payload: Record<string, unknown>, messageId: string) {
  return db.update(dispatchOutbox).set({ payload, messageId, state: "sending", updatedAt: new Date() }).where(and(eq(dispatchOutbox.idempotencyKey, key), eq(dispatchOutbox.state, "pending")));
}

/** Records what this attempt is about to do, whatever an earlier attempt recorded (not once sent). */
export function replacePayload(db: Db, key: string, payload: Record<string, unknown>, messageId: string) {
  return db.update(dispatchOutbox).set({ payload, messageId, state: "sending", updatedAt: new Date() }).where(and(eq(dispatchOutbox.idempotencyKey, key), ne(dispatchOutbox.state, "sent")));
}

export function recordAttempt(db: Db, key: string, error: string | null, failed: boolean) {
  return db
    .update(dispatchOutbox)
    .set({ attempts: sql`${dispatchOutbox.attempts} + 1`, lastError: error, ...(failed ? { state: "failed" as const } : {}), updatedAt: new Date() })
    .where(and(eq(dispatchOutbox.idempotencyKey, key), ne(dispatchOutbox.state, "sent")));
}

/**
 * The provider accepted: in one transaction, mark the outbox sent (when there is one), write the
 * message row (unique by idempotency key) and count usage only if that row is new. Repeating it
 * after a crash changes nothing, so a send is logged and billed exactly once.
 */
export interface SentMessage {
  id: string;
  leadId: string;
  campaignId: string | null;
  parentId?: string | null;
  channel: Channel;
  subject: string | null;
  content: string;
  metadata: Record<string, unknown>;
}

/** `usage` is what the send adds to the metric (1 by default; a call counts its seconds when it ends, so 0). */
/**
 * `alsoIfNew` runs last in the same transaction; a statement there guarded by `changes() > 0` runs
 * only when the usage counter moved, i.e. only the first time this send is committed.
 */
export async function commitSent(d1: D1Database, input: { key: string; orgId: string; metric: UsageMetric; usage?: number; now: Date; providerMessageId: string; message: SentMessage; alsoIfNew?: D1PreparedStatement[] }) {
  const { key, orgId, now, message } = input;
  await d1.batch([
    d1.prepare("UPDATE dispatch_outbox SET state = 'sent', provider_message_id = ?1, attempts = attempts + 1, updated_at = ?2 WHERE idempotency_key = ?3 AND state != 'sent'").bind(input.providerMessageId, now.getTime(), key),
    // The message row is unique by idempotency key; the usage counter follows it (changes() > 0).
    d1
      .prepare(
        `INSERT INTO messages (id, org_id, lead_id, campaign_id, parent_id, channel, direction, status, subject, content, provider_message_id, idempotency_key, metadata, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'outbound', 'sent', ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (idempotency_key) DO NOTHING`,
      )
      .bind(message.id, orgId, message.leadId, message.campaignId, message.parentId ?? null, message.channel, message.subject, message.content, input.providerMessageId, key, JSON.stringify(message.metadata), now.getTime()),
    incrementUsageIfChanged(d1, orgId, input.metric, input.usage ?? 1, now),
    ...(input.alsoIfNew ?? []),
  ]);
}
