import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/**
 * Every org-scoped list and lookup the API runs is served by an index: SQLite's plan for it
 * names an index and never scans a whole table.
 */
const QUERIES: Record<string, string> = {
  "leads page": "SELECT * FROM leads WHERE org_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 51",
  "leads by status": "SELECT * FROM leads WHERE org_id = ?1 AND status = 'new' AND id < ?2 ORDER BY id DESC LIMIT 51",
  "lead by phone (dedup)": "SELECT id FROM leads WHERE org_id = ?1 AND phone = ?2",
  "lead by email (dedup)": "SELECT id FROM leads WHERE org_id = ?1 AND email = ?2",
  "lead by telegram (dedup)": "SELECT id FROM leads WHERE org_id = ?1 AND telegram_username = ?2",
  "campaigns page": "SELECT * FROM campaigns WHERE org_id = ?1 ORDER BY id DESC LIMIT 51",
  "campaign leads": "SELECT * FROM campaign_leads WHERE campaign_id = ?1 AND org_id = ?2 AND lead_id < ?3 ORDER BY lead_id DESC LIMIT 51",
  "scripts page": "SELECT * FROM scripts WHERE org_id = ?1 ORDER BY id DESC LIMIT 51",
  "voice configs page": "SELECT * FROM voice_configs WHERE org_id = ?1 ORDER BY id DESC LIMIT 51",
  "phone numbers page": "SELECT * FROM phone_numbers WHERE org_id = ?1 ORDER BY id DESC LIMIT 51",
  "api key by hash": "SELECT id, org_id FROM api_keys WHERE key_hash = ?1",
  "memberships of a user": "SELECT * FROM org_members WHERE user_id = ?1 ORDER BY created_at",
  "messages of a lead": "SELECT * FROM messages WHERE org_id = ?1 AND lead_id = ?2 AND id < ?3 ORDER BY id DESC LIMIT 51",
  "message by provider id": "SELECT * FROM messages WHERE provider_message_id = ?1",
  "calls page": "SELECT * FROM call_logs WHERE org_id = ?1 ORDER BY id DESC LIMIT 51",
  "suppression lookup": "SELECT 1 FROM suppressions WHERE org_id = ?1 AND value = ?2",
  "lead imports page": "SELECT * FROM lead_imports WHERE org_id = ?1 ORDER BY id DESC LIMIT 51",
  "audit log page": "SELECT * FROM audit_log WHERE org_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 51",
  "campaign's due leads (runner)": "SELECT cl.lead_id, cl.step, l.phone FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id WHERE cl.campaign_id = ?1 AND cl.status = 'pending' AND (cl.next_at IS NULL OR cl.next_at <= ?2) AND cl.lead_id > ?3 ORDER BY cl.lead_id LIMIT 100",
  "lead's recent touches (contact policy)": "SELECT created_at FROM messages WHERE org_id = ?1 AND lead_id = ?2 AND direction = 'outbound' AND created_at > ?3",
  "suppression of a lead's contacts": "SELECT kind FROM suppressions WHERE org_id = ?1 AND value IN (?2, ?3, ?4) LIMIT 1",
  "usage counter": "SELECT used FROM usage_counters WHERE org_id = ?1 AND period = ?2 AND metric = ?3",
  "dead letters page": "SELECT * FROM dead_letters WHERE org_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 51",
  "outbox by key": "SELECT * FROM dispatch_outbox WHERE idempotency_key = ?1",
  "invitation by token": "SELECT * FROM org_invitations WHERE token_hash = ?1",
};

describe("every list and lookup uses an index", () => {
  it.each(Object.entries(QUERIES))("%s", async (_name, sql) => {
    const params = new Set(sql.match(/\?\d/g)).size;
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...Array.from({ length: params }, () => "x")).all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join(" | ");
    expect(plan).toMatch(/USING (COVERING )?INDEX|USING (INTEGER )?PRIMARY KEY/);
    expect(plan).not.toMatch(/^SCAN \w+$|\| SCAN \w+( |$)/);
    expect(plan).not.toContain("USE TEMP B-TREE FOR ORDER BY");
  });
});
