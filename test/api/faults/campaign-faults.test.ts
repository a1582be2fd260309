import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { call, jsonOf, signIn } from "../client";
import { emailCampaign, sandbox, sentTo, setFaults, setPlan, waitForProgress } from "../engine-helpers";

/** Every lead got exactly one email: none lost, none twice. */
async function expectExactlyOnce(tag: string, count: number) {
  const sent = (await sentTo()).filter((e: any) => e.to[0].startsWith(`${tag}.`));
  const byAddress = new Map<string, number>();
  for (const email of sent) byAddress.set(email.to[0], (byAddress.get(email.to[0]) ?? 0) + 1);
  expect([...byAddress.values()].filter((n) => n > 1)).toEqual([]);
  expect(byAddress.size).toBe(count);
}

afterEach(async () => {
  await setFaults("resend", {});
  await setFaults("openai", {});
  await sandbox("/resend/sandbox/lose-answers", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ count: 0 }) });
});

describe("a campaign under faults sends every email exactly once", () => {
  it("rides out Resend 500s and timeouts through queue retries", async () => {
    const owner = await signIn("faults.flaky@example.com");
    await setPlan(owner.orgId, "enterprise");
    const { campaign } = await emailCampaign(owner, 30, "flaky");
    await setFaults("resend", { failRate: 0.3, failStatus: 500, timeoutRate: 0.1 });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 120_000);
    expect(done.counts).toMatchObject({ total: 30, processed: 30 });
    // A lead whose every retry failed is a dead letter; the rest were sent once.
    const dead = await jsonOf(await call(`/dashboard/dead-letters?campaignId=${campaign.id}`, { as: owner }));
    expect(done.counts.succeeded + dead.items.length).toBe(30);
    const sent = (await sentTo()).filter((e: any) => e.to[0].startsWith("flaky."));
    expect(new Set(sent.map((e: any) => e.to[0])).size).toBe(sent.length);
    expect(sent.length).toBe(done.counts.succeeded);
  }, 150_000);

  it("never sends twice when Resend accepted but the answer was lost, or the LLM failed", async () => {
    const owner = await signIn("faults.lost@example.com");
    await setPlan(owner.orgId, "enterprise");
    const { campaign } = await emailCampaign(owner, 10, "lost");
    await sandbox("/resend/sandbox/lose-answers", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ count: 6 }) });
    await setFaults("openai", { failRate: 0.5, failStatus: 500 });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 90_000);
    expect(done.counts).toMatchObject({ total: 10, processed: 10, succeeded: 10 });
    await expectExactlyOnce("lost", 10);
    const usage = await env.DB.prepare("SELECT used FROM usage_counters WHERE org_id = ? AND metric = 'emails'").bind(owner.orgId).first<{ used: number }>();
    expect(usage?.used).toBe(10);
    const logged = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE campaign_id = ?").bind(campaign.id).first<{ n: number }>();
    expect(logged?.n).toBe(10);
  }, 120_000);

  it("carries on without loss or repeats when the runner is evicted mid-run", async () => {
    const owner = await signIn("faults.evict@example.com");
    await setPlan(owner.orgId, "enterprise");
    const { campaign } = await emailCampaign(owner, 120, "evict");
    await setFaults("resend", { latencyMs: 20 });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const runner = env.CAMPAIGN_RUNNER.get(env.CAMPAIGN_RUNNER.idFromName(campaign.id));
    for (let i = 0; i < 3; i++) {
      await waitForProgress(owner, campaign.id, (p) => p.counts.processed > i * 20, 60_000);
      await evictDurableObject(runner);
    }
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 120_000);
    expect(done.counts).toMatchObject({ total: 120, processed: 120, succeeded: 120 });
    await expectExactlyOnce("evict", 120);
  }, 180_000);

  it("sends what the queue gave up on to the dead letters, with its error, and still completes", async () => {
    const owner = await signIn("faults.dead@example.com");
    const { campaign } = await emailCampaign(owner, 2, "dead");
    await setFaults("resend", { failRate: 1, failStatus: 503 });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 120_000);
    expect(done.counts).toMatchObject({ total: 2, processed: 2, failed: 2, succeeded: 0 });
    const dead = await jsonOf(await call("/dashboard/dead-letters", { as: owner }));
    expect(dead.items).toHaveLength(2);
    expect(dead.items[0]).toMatchObject({ campaignId: campaign.id, error: expect.stringContaining("email") });
    expect((await sentTo()).filter((e: any) => e.to[0].startsWith("dead."))).toEqual([]);
  }, 150_000);
});
