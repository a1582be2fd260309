import { and, eq, isNull, lt } from "drizzle-orm";
import { leadImports, orgInvitations } from "../../drizzle/schema";
import type { Db } from "../context";
import { dropRateLimitsBefore } from "../db/rate-limits";
import { utcDay } from "../domain/rate-limit/daily-window";

/** Chunked imports nobody finished within a day are closed, so their progress stops showing as running. */
export const STALE_IMPORT_MS = 24 * 3600 * 1000;

export interface HousekeepingResult {
  expiredInvitations: number;
  closedImports: number;
  /** Counter rows of past days (the public demo's limits). */
  droppedRateLimits: number;
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
  const droppedRateLimits = await dropRateLimitsBefore(db, utcDay(now));
  return { expiredInvitations: expired.length, closedImports: closed.length, droppedRateLimits };
}
