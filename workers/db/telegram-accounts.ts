import { and, eq } from "drizzle-orm";
import { telegramAccounts } from "../../drizzle/schema";
import type { Db } from "../context";
import { availability, sentToday, utcDay, type AccountChanges, type PoolAccount } from "../domain/telegram/account-pool";
import type { AccountSlot } from "../domain/pacing";

export type TelegramAccountRow = typeof telegramAccounts.$inferSelect;

export function poolAccountOf(row: TelegramAccountRow): PoolAccount {
  return {
    id: row.id,
    status: row.status,
    loggedIn: row.sessionCiphertext !== null,
    dailyLimit: row.dailyLimit,
    dailySentCount: row.dailySentCount,
    dailyCountDate: row.dailyCountDate,
    cooldownUntil: row.cooldownUntil?.getTime() ?? null,
    warmupStartedAt: row.warmupStartedAt?.getTime() ?? null,
    lastSentAt: row.lastSentAt?.getTime() ?? null,
  };
}

export async function orgTelegramAccounts(db: Db, orgId: string): Promise<TelegramAccountRow[]> {
  return db.select().from(telegramAccounts).where(eq(telegramAccounts.orgId, orgId));
}

/**
 * The org's accounts as the pacer needs them: every account that can send today or later, with
 * when and how much. An empty list means no account of the org can ever send as things stand.
 */
export function accountSlots(rows: readonly TelegramAccountRow[], now: number): AccountSlot[] {
  const slots: AccountSlot[] = [];
  for (const row of rows) {
    const account = poolAccountOf(row);
    const state = availability(account, now);
    if (state.kind === "never") continue;
    slots.push({ id: row.id, readyAt: state.kind === "later" ? state.at : now, left: state.kind === "ready" ? state.left : 0, sentToday: sentToday(account, now) });
  }
  return slots;
}

/**
 * Counts one DM sent today from the account (the day rolls over on the first send of a new UTC
 * day); `warmedUp` moves a warming-up account whose allowance reached its ceiling to active.
 * Guarded by `changes() > 0`: in commitSent's batch it counts only a send committed for the first time.
 */
export function countSent(d1: D1Database, accountId: string, now: number, warmedUp: boolean): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE telegram_accounts
       SET daily_sent_count = CASE WHEN daily_count_date = ?2 THEN daily_sent_count + 1 ELSE 1 END,
           daily_count_date = ?2, last_sent_at = ?3, last_error = NULL,
           status = CASE WHEN status = 'warming_up' AND ?4 = 1 THEN 'active' ELSE status END
       WHERE id = ?1 AND changes() > 0`,
    )
    .bind(accountId, utcDay(now), now, warmedUp ? 1 : 0);
}

export async function applyAccountChanges(db: Db, orgId: string, accountId: string, changes: AccountChanges): Promise<void> {
  await db
    .update(telegramAccounts)
    .set({
      lastError: changes.lastError,
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.dailyLimit !== undefined ? { dailyLimit: changes.dailyLimit } : {}),
      ...(changes.cooldownUntil !== undefined ? { cooldownUntil: new Date(changes.cooldownUntil) } : {}),
      ...(changes.warmupStartedAt !== undefined ? { warmupStartedAt: new Date(changes.warmupStartedAt) } : {}),
      ...(changes.dropSession ? { sessionCiphertext: null } : {}),
    })
    .where(and(eq(telegramAccounts.id, accountId), eq(telegramAccounts.orgId, orgId)));
}

/**
 * Takes the account's next send slot if its pause since the last one is over and it has DMs left
 * today: one conditional UPDATE, so two sends handed over in one queue batch cannot both pass.
 * Sends from one account are at least a pause apart, so the count each one reads is settled.
 */
export async function reserveSendSlot(d1: D1Database, accountId: string, now: number, minGapMs: number, allowance: number): Promise<boolean> {
  const row = await d1
    .prepare(
      `UPDATE telegram_accounts SET last_sent_at = ?2
       WHERE id = ?1 AND (last_sent_at IS NULL OR last_sent_at <= ?3) AND (daily_count_date IS NOT ?4 OR daily_sent_count < ?5)
       RETURNING id`,
    )
    .bind(accountId, now, now - minGapMs, utcDay(now), allowance)
    .first();
  return row !== null;
}
