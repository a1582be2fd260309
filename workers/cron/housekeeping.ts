import { and, eq, isNull, lt } from "drizzle-orm";
import { leadImports, orgInvitations } from "../../drizzle/schema";
import type { Db } from "../context";

/** Chunked imports nobody finished within a day are closed, so their progress stops showing as running. */
export const STALE_IMPORT_MS = 24 * 3600 * 1000;

export interface HousekeepingResult {
  expiredInvitations: number;
  closedImports: number;
}

/** What the cron trigger does every few minutes; each step is idempotent. */
export async function runHousekeeping(db: Db, now: Date): Promise<HousekeepingResult> {
  const expired = await db
    .delete(orgInvitations)
    .where(and(isNull(orgInvitations.acceptedAt), lt(orgInvitations.expiresAt, now)))
    .returning({ id: orgInvitations.id });
  const closed = await db
    .update(leadImports)
    .set({ status: "completed", updatedAt: now })
    .where(and(eq(leadImports.status, "open"), lt(leadImports.updatedAt, new Date(now.getTime() - STALE_IMPORT_MS))))
    .returning({ id: leadImports.id });
  return { expiredInvitations: expired.length, closedImports: closed.length };
}
