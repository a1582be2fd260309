import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, create, jsonOf, signIn } from "./client";
import { sentTo, setPlan, waitForProgress, zoneWhereHourIs } from "./engine-helpers";

describe("a 500-lead mixed campaign", () => {
  it("reaches every lead on the first channel that works, through the real queue and runner, and accounts for each", async () => {
    const owner = await signIn("mixed.owner@example.com");
    await setPlan(owner.orgId, "enterprise");
    const zone = zoneWhereHourIs(10, 18);
    // Five kinds of lead, 100 of each. Telegram has no adapter yet and this campaign has no voice to
    // call with, so the engine must fall back to email where the lead has one, fail where it has
    // not, and skip the suppressed.
    const kinds = ["emailOnly", "telegramAndEmail", "phoneAndEmail", "phoneOnly", "suppressed"] as const;
    const rows = ["first_name,phone,email,telegram,timezone"];
    for (let i = 0; i < 500; i++) {
      const kind = kinds[i % 5]!;
      const phone = `+38067${String(2_000_000 + i).padStart(7, "0")}`;
      const email = `mixed.${i}@example.com`;
      if (kind === "emailOnly") rows.push(`${kind}${i},,${email},,`);
      if (kind === "telegramAndEmail") rows.push(`${kind}${i},,${email},tg_lead_${i},`);
      if (kind === "phoneAndEmail") rows.push(`${kind}${i},${phone},${email},,${zone}`);
      if (kind === "phoneOnly") rows.push(`${kind}${i},${phone},,,${zone}`);
      if (kind === "suppressed") rows.push(`${kind}${i},,${email},,`);
    }
    const imported = await jsonOf(await call("/dashboard/leads/import", { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: rows.join("\n") }));
    expect(imported.chunk.imported).toBe(500);
    const suppressionCsv = ["value", ...Array.from({ length: 100 }, (_, k) => `mixed.${k * 5 + 4}@example.com`)].join("\n");
    expect((await jsonOf(await call("/dashboard/suppressions/import", { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: suppressionCsv }))).added).toBe(100);

    const campaign = await create(owner, "/dashboard/campaigns", { name: "Mixed", channels: ["telegram", "voice", "email"], channelPriority: ["telegram", "voice", "email"], schedule: { windowStart: "00:00", windowEnd: "23:59", days: [1, 2, 3, 4, 5, 6, 7] } });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await jsonOf(await call(`/dashboard/leads?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { as: owner }));
      ids.push(...page.items.map((l: any) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as: owner, json: { leadIds: ids } });

    expect((await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner })).status).toBe(202);
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 240_000);
    expect(done.counts).toEqual({ total: 500, processed: 500, succeeded: 300, failed: 100, skipped: 100 });

    const { results } = await env.DB.prepare(
      `SELECT l.first_name AS name, cl.status, cl.last_channel AS channel, cl.last_error AS error FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id WHERE cl.campaign_id = ?`,
    ).bind(campaign.id).all<{ name: string; status: string; channel: string | null; error: string | null }>();
    const outcome = (kind: string) => new Set(results.filter((r) => r.name.startsWith(kind)).map((r) => `${r.status}/${r.channel}`));
    expect(outcome("emailOnly")).toEqual(new Set(["succeeded/email"]));
    expect(outcome("telegramAndEmail")).toEqual(new Set(["succeeded/email"]));
    expect(outcome("phoneAndEmail")).toEqual(new Set(["succeeded/email"]));
    expect(outcome("phoneOnly")).toEqual(new Set(["failed/null"]));
    expect(outcome("suppressed")).toEqual(new Set(["skipped/null"]));
    expect(results.find((r) => r.name.startsWith("phoneOnly"))?.error).toContain("voice: the campaign has no voice configured");

    const sent = (await sentTo()).filter((e: any) => e.to[0].startsWith("mixed."));
    expect(sent).toHaveLength(300);
    expect(new Set(sent.map((e: any) => e.to[0])).size).toBe(300);
  }, 300_000);
});
