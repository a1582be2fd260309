import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, create, jsonOf, signIn, type Caller } from "./client";
import { waitForProgress, zoneWhereHourIs } from "./engine-helpers";

async function campaignWithLeads(as: Caller, channels: string[], leadRows: Record<string, string>[]) {
  const campaign = await create(as, "/dashboard/campaigns", { name: "Run", channels, schedule: { windowStart: "00:00", windowEnd: "23:59", days: [1, 2, 3, 4, 5, 6, 7] } });
  const ids: string[] = [];
  for (const row of leadRows) ids.push((await create(as, "/dashboard/leads", row)).id);
  await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as, json: { leadIds: ids } });
  return { campaign, ids };
}

describe("executing a campaign", () => {
  it("refuses a campaign with no leads, and one already running", async () => {
    const owner = await signIn("run.checks@example.com");
    const empty = await create(owner, "/dashboard/campaigns", { name: "Empty", channels: ["email"] });
    const res = await call(`/dashboard/campaigns/${empty.id}/execute`, { method: "POST", as: owner });
    expect(res.status).toBe(409);
    expect((await jsonOf(res)).detail).toContain("no leads");
  });

  it("returns at once and settles every lead through the queue and the runner", async () => {
    const owner = await signIn("run.settle@example.com");
    // Telegram and voice have no adapter yet; the engine falls past them and reports why.
    const { campaign } = await campaignWithLeads(owner, ["telegram", "voice"], [
      { firstName: "A", phone: "+380671110001", timezone: zoneWhereHourIs(10, 18) },
      { firstName: "B", telegramUsername: "lead_bbb" },
      { firstName: "C", email: "only.email@example.com" },
    ]);
    const started = await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    expect(started.status).toBe(202);
    expect((await jsonOf(started)).status).toBe("active");
    expect((await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner })).status).toBe(409);

    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    expect(done.counts).toEqual({ total: 3, processed: 3, succeeded: 0, failed: 2, skipped: 1 });
    const leads = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { as: owner }));
    const byName = Object.fromEntries(leads.items.map((l: any) => [l.firstName, l.assignment]));
    expect(byName.A).toMatchObject({ status: "failed", lastError: expect.stringContaining("voice: the campaign has no voice configured") });
    expect(byName.C).toMatchObject({ status: "skipped" });
    const row = await env.DB.prepare("SELECT status, completed_at FROM campaigns WHERE id = ?").bind(campaign.id).first<{ status: string; completed_at: number }>();
    expect(row?.status).toBe("completed");
  }, 30_000);

  it("defers a call outside 08:00–21:00 of the lead's local time, whatever the campaign's hours", async () => {
    const owner = await signIn("run.night@example.com");
    const zone = zoneWhereHourIs(0, 6);
    const { campaign } = await campaignWithLeads(owner, ["voice"], [{ firstName: "Night", phone: "+380671110003", timezone: zone }]);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const deadline = Date.now() + 20_000;
    let assignment: any;
    while (Date.now() < deadline) {
      assignment = (await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { as: owner }))).items[0].assignment;
      if (assignment.status === "pending" && assignment.note) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Deferred, not dropped: still pending, with the reason and a time when calls may start.
    expect(assignment).toMatchObject({ status: "pending", note: expect.stringContaining("outside voice hours") });
    const progress = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/progress`, { as: owner }));
    expect(progress).toMatchObject({ status: "active", counts: { processed: 0 } });
  }, 30_000);

  it("never sends to a suppressed lead, whichever of its contacts was suppressed", async () => {
    const owner = await signIn("run.suppressed@example.com");
    await create(owner, "/dashboard/suppressions", { value: "+380671110002", kind: "opt_out" });
    const { campaign } = await campaignWithLeads(owner, ["email"], [{ firstName: "Opted", phone: "+380671110002", email: "opted@example.com" }]);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    expect(done.counts).toMatchObject({ skipped: 1, succeeded: 0 });
    const leads = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { as: owner }));
    expect(leads.items[0].assignment.status).toBe("skipped");
  }, 30_000);

  it("pauses, refuses edits while active, resumes and cancels", async () => {
    const owner = await signIn("run.controls@example.com");
    const { campaign } = await campaignWithLeads(owner, ["email"], [{ email: "x1@example.com" }]);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const paused = await call(`/dashboard/campaigns/${campaign.id}/pause`, { method: "POST", as: owner });
    // It may have finished already; either way the answer is a clear state.
    expect([202, 409]).toContain(paused.status);
    if (paused.status === 202) {
      expect((await jsonOf(paused)).status).toBe("paused");
      expect((await call(`/dashboard/campaigns/${campaign.id}/resume`, { method: "POST", as: owner })).status).toBe(202);
    }
    const cancelled = await call(`/dashboard/campaigns/${campaign.id}/cancel`, { method: "POST", as: owner });
    expect([202, 409]).toContain(cancelled.status);
  });
});
