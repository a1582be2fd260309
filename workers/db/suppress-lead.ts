import { and, eq } from "drizzle-orm";
import { campaignLeads, leads, suppressions } from "../../drizzle/schema";
import type { Channel } from "../../drizzle/schema/enums";
import type { Db } from "../context";
import { newId } from "./ids";

export type SuppressionKind = (typeof suppressions.$inferInsert)["kind"];

/**
 * Puts every contact of the lead on the org's suppression list, so an opt-out on one channel stops
 * all of them at once, and settles the lead's pending campaign turns as skipped. Idempotent.
 */
export async function suppressLead(db: Db, orgId: string, leadId: string, kind: SuppressionKind, channel: Channel | null, reason: string): Promise<boolean> {
  const [lead] = await db.select().from(leads).where(and(eq(leads.id, leadId), eq(leads.orgId, orgId))).limit(1);
  if (!lead) return false;
  const values = [lead.email, lead.phone, lead.telegramUsername].filter((v): v is string => v !== null);
  if (values.length === 0) return false;
  await db.batch([
    db.insert(suppressions).values(values.map((value) => ({ id: newId("suppression"), orgId, kind, channel, value, leadId, reason }))).onConflictDoNothing(),
    db.update(campaignLeads).set({ status: "skipped", note: `suppressed (${kind.replace("_", " ")})`, updatedAt: new Date() }).where(and(eq(campaignLeads.leadId, leadId), eq(campaignLeads.orgId, orgId), eq(campaignLeads.status, "pending"))),
  ]);
  return true;
}
