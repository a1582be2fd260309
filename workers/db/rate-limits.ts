import { and, eq, gt, lt, sql } from "drizzle-orm";
import { rateLimits } from "../../drizzle/schema";
import type { Db } from "../context";

/**
 * Counts one hit on `key` in `window` and returns the count including it. One statement, so two
 * concurrent requests get different counts (D1 runs statements one at a time per database).
 */
export async function hitRateLimit(db: Db, key: string, window: string): Promise<number> {
  const [row] = await db
    .insert(rateLimits)
    .values({ key, window, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.window], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  if (!row) throw new Error("rate_limits upsert returned no row");
  return row.count;
}

/** Gives a hit back, when the thing it paid for did not happen (the call could not be placed). */
export async function refundRateLimit(db: Db, key: string, window: string): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.window, window), gt(rateLimits.count, 0)));
}

/** Drops the counters of windows before `window` (labels sort as dates do). */
export async function dropRateLimitsBefore(db: Db, window: string): Promise<number> {
  const dropped = await db.delete(rateLimits).where(lt(rateLimits.window, window)).returning({ key: rateLimits.key });
  return dropped.length;
}

/** SHA-256 hex of a value, so a counter's key never holds a phone number or address in clear. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
