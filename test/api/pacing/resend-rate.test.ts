import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, create, signIn } from "../client";
import { emailCampaign, sandbox, setPlan, waitForProgress } from "../engine-helpers";

/** When Resend received each of the campaign's emails (epoch ms), in order. */
async function sendTimes(tagPrefix: string): Promise<number[]> {
  const { requests }: { requests: any[] } = await (await sandbox("/__admin/requests?provider=resend")).json();
  return requests
    .filter((r) => r.method === "POST" && r.path === "/emails" && r.status === 200 && JSON.parse(r.body).to[0].startsWith(tagPrefix))
    .map((r) => Date.parse(r.receivedAt))
    .sort((a, b) => a - b);
}

/** The most sends any one-second window holds. */
function busiestSecond(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

// This project sets EMAIL_SENDS_PER_SECOND to 10: the account's limit, as Resend's 2 is in production.
describe("the Resend account's rate", () => {
  it("is never exceeded in any one-second window, however the queue bunches the sends", async () => {
    expect(env.EMAIL_SENDS_PER_SECOND).toBe("10");
    const owner = await signIn("pacing.rate@example.com");
    await setPlan(owner.orgId, "starter");
    const { campaign } = await emailCampaign(owner, 60, "rate");
    // The stand-in refuses what real Resend would: more than 10 requests in a second.
    await sandbox("/resend/sandbox/rate-limit", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ perSecond: 10 }) });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 60_000);
    expect(done.counts).toMatchObject({ total: 60, succeeded: 60 });
    const limit = await (await sandbox("/resend/sandbox/rate-limit")).json();
    await sandbox("/resend/sandbox/rate-limit", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ perSecond: null }) });
    expect(limit).toEqual({ perSecond: 10, refused: 0 });
    const times = await sendTimes("rate.");
    expect(times).toHaveLength(60);
    expect(busiestSecond(times)).toBeLessThanOrEqual(10);
  }, 90_000);

  it("holds a sender to the hourly pace set in its email settings", async () => {
    const owner = await signIn("pacing.sender@example.com");
    await create(owner, "/dashboard/channel-configs", { channel: "email", config: { fromEmail: "hello@warming.example", maxPerHour: 3600 } });
    const { campaign } = await emailCampaign(owner, 3, "warm");
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 30_000);
    const times = await sendTimes("warm.");
    expect(times).toHaveLength(3);
    // One a second: the runner hands the sends out no faster than the sender's pace.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
  }, 60_000);
});
