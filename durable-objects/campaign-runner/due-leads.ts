import type { Channel } from "../../drizzle/schema/enums";

export interface DueLead {
  leadId: string;
  step: number;
  contacts: Channel[];
  /** The lead has answered: a follow-up that stops on a reply will not be sent. */
  replied: boolean;
}

/** D1 binds at most 100 parameters; ids go in slices of this size. */
const SLICE = 90;

/** The next page of the campaign's leads that may be taken now, in lead-id order after `cursor`. */
export async function dueLeads(d1: D1Database, campaignId: string, cursor: string, now: number, limit: number): Promise<DueLead[]> {
  const { results } = await d1
    .prepare(
      `SELECT cl.lead_id AS leadId, cl.step AS step,
              l.phone IS NOT NULL AS hasPhone, l.email IS NOT NULL AS hasEmail, l.telegram_username IS NOT NULL AS hasTelegram,
              l.status = 'replied' AS replied
       FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id
       WHERE cl.campaign_id = ?1 AND cl.status = 'pending' AND (cl.next_at IS NULL OR cl.next_at <= ?2) AND cl.lead_id > ?3
       ORDER BY cl.lead_id LIMIT ?4`,
    )
    .bind(campaignId, now, cursor, limit)
    .all<{ leadId: string; step: number; hasPhone: number; hasEmail: number; hasTelegram: number; replied: number }>();
  return results.map((r) => ({
    leadId: r.leadId,
    step: r.step,
    contacts: [r.hasTelegram ? "telegram" : null, r.hasPhone ? "voice" : null, r.hasEmail ? "email" : null].filter((c): c is Channel => c !== null),
    replied: r.replied === 1,
  }));
}

/** Marks enqueued leads as in progress; a lead someone else already moved is left alone. */
export async function markInProgress(d1: D1Database, campaignId: string, leadIds: string[], now: number): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < leadIds.length; i += SLICE) {
    const ids = leadIds.slice(i, i + SLICE);
    statements.push(
      d1
        .prepare(`UPDATE campaign_leads SET status = 'in_progress', updated_at = ?1 WHERE campaign_id = ?2 AND status = 'pending' AND lead_id IN (${ids.map((_, j) => `?${j + 3}`).join(", ")})`)
        .bind(now, campaignId, ...ids),
    );
  }
  if (statements.length) await d1.batch(statements);
}

/**
 * Leads that wait for a turn long enough that walking past them each pass would be waste (a
 * Telegram account's human gap, or tomorrow's allowance): they become due again at `at`, and the
 * leads after them go on meanwhile.
 */
export async function deferLeads(d1: D1Database, campaignId: string, leadIds: string[], at: number, note: string): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < leadIds.length; i += SLICE) {
    const ids = leadIds.slice(i, i + SLICE);
    statements.push(
      d1
        .prepare(`UPDATE campaign_leads SET next_at = ?1, note = ?2, updated_at = ?3 WHERE campaign_id = ?4 AND status = 'pending' AND lead_id IN (${ids.map((_, j) => `?${j + 5}`).join(", ")})`)
        .bind(at, note, Date.now(), campaignId, ...ids),
    );
  }
  if (statements.length) await d1.batch(statements);
}

export interface Remaining {
  pending: number;
  inProgress: number;
  /** Earliest time a pending lead becomes due (0 when one is due now); null when none is pending. */
  nextDueAt: number | null;
}

/** What is left to do; a scan of the campaign's assignment rows, so only run when a page came back empty. */
export async function remainingWork(d1: D1Database, campaignId: string): Promise<Remaining> {
  const row = await d1
    .prepare(
      `SELECT coalesce(sum(status = 'pending'), 0) AS pending, coalesce(sum(status = 'in_progress'), 0) AS inProgress,
              min(CASE WHEN status = 'pending' THEN coalesce(next_at, 0) END) AS nextDueAt
       FROM campaign_leads WHERE campaign_id = ?1`,
    )
    .bind(campaignId)
    .first<{ pending: number; inProgress: number; nextDueAt: number | null }>();
  return { pending: row?.pending ?? 0, inProgress: row?.inProgress ?? 0, nextDueAt: row?.nextDueAt ?? null };
}

/** The campaign's outcome counts as D1 has them, for when reports went missing. */
export async function settledCounts(d1: D1Database, campaignId: string) {
  const { results } = await d1.prepare("SELECT status, count(*) AS n FROM campaign_leads WHERE campaign_id = ?1 GROUP BY status").bind(campaignId).all<{ status: string; n: number }>();
  const of = (status: string) => results.find((r) => r.status === status)?.n ?? 0;
  const counts = { succeeded: of("succeeded"), failed: of("failed"), skipped: of("skipped") };
  return { total: results.reduce((sum, r) => sum + r.n, 0), processed: counts.succeeded + counts.failed + counts.skipped, ...counts };
}
