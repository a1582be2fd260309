import { leads } from "../../drizzle/schema";
import type { Db } from "../context";
import type { ImportedLead } from "../domain/lead-import";
import { newId } from "./ids";

/** D1 binds at most 100 parameters per statement; a lead row binds 14. */
const COLUMNS_PER_ROW = 14;
const ROWS_PER_STATEMENT = Math.floor(100 / COLUMNS_PER_ROW);
/** Statements per D1 batch (one round trip, one transaction). */
const STATEMENTS_PER_BATCH = 50;

export interface LeadWriteResult {
  inserted: { id: string; line: number }[];
  /** Lines whose phone, email or Telegram username already belongs to a lead of the org. */
  existingLines: number[];
}

/**
 * Inserts leads, skipping any that collide with an existing lead of the org on phone, email or
 * Telegram username (the unique indexes decide, so concurrent imports cannot double up).
 */
export async function insertLeads(db: Db, orgId: string, rows: ImportedLead[]): Promise<LeadWriteResult> {
  const now = new Date();
  const withIds = rows.map((lead) => ({ lead, id: newId("lead") }));
  const statements = [];
  for (let i = 0; i < withIds.length; i += ROWS_PER_STATEMENT) {
    const values = withIds.slice(i, i + ROWS_PER_STATEMENT).map(({ lead, id }) => ({
      id,
      orgId,
      firstName: lead.firstName,
      lastName: lead.lastName,
      phone: lead.phone,
      email: lead.email,
      telegramUsername: lead.telegramUsername,
      company: lead.company,
      timezone: lead.timezone,
      notes: lead.notes,
      metadata: lead.metadata,
      status: "new" as const,
      createdAt: now,
      updatedAt: now,
    }));
    statements.push(db.insert(leads).values(values).onConflictDoNothing().returning({ id: leads.id }));
  }
  const insertedIds = new Set<string>();
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    const chunk = statements.slice(i, i + STATEMENTS_PER_BATCH);
    const results = await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]]);
    for (const returned of results) for (const { id } of returned) insertedIds.add(id);
  }
  const inserted: LeadWriteResult["inserted"] = [];
  const existingLines: number[] = [];
  for (const { lead, id } of withIds) {
    if (insertedIds.has(id)) inserted.push({ id, line: lead.line });
    else existingLines.push(lead.line);
  }
  return { inserted, existingLines };
}
