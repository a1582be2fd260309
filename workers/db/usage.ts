import { and, eq } from "drizzle-orm";
import { usageCounters } from "../../drizzle/schema";
import type { Db } from "../context";
import { usagePeriod, type UsageMetric } from "../domain/billing/plans";

/** This month's usage of one metric: one primary-key read, never a count of message rows. */
export async function readUsage(db: Db, orgId: string, metric: UsageMetric, now: Date): Promise<number> {
  const [row] = await db
    .select({ used: usageCounters.used })
    .from(usageCounters)
    .where(and(eq(usageCounters.orgId, orgId), eq(usageCounters.period, usagePeriod(now)), eq(usageCounters.metric, metric)));
  return row?.used ?? 0;
}

/**
 * Adds to this month's counter, but only if the statement just before it in the same batch changed
 * a row (SQLite's changes()): paired with the outbox's pending → sent transition, a send is
 * counted exactly once however often the transition is attempted.
 */
export function incrementUsageIfChanged(d1: D1Database, orgId: string, metric: UsageMetric, amount: number, now: Date): D1PreparedStatement {
  // A raw statement: drizzle's batch cannot carry raw SQL, and this must share the transaction.
  return d1
    .prepare(
      `INSERT INTO usage_counters (org_id, period, metric, used)
       SELECT ?1, ?2, ?3, ?4 WHERE changes() > 0
       ON CONFLICT (org_id, period, metric) DO UPDATE SET used = used + excluded.used`,
    )
    .bind(orgId, usagePeriod(now), metric, amount);
}

/** Adds to this month's counter unconditionally (a send with no message row, e.g. a test email). */
export function incrementUsage(d1: D1Database, orgId: string, metric: UsageMetric, amount: number, now: Date): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO usage_counters (org_id, period, metric, used) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (org_id, period, metric) DO UPDATE SET used = used + excluded.used`,
    )
    .bind(orgId, usagePeriod(now), metric, amount);
}
