import { and, eq } from "drizzle-orm";
import type { CampaignRunner } from "../../durable-objects/campaign-runner/campaign-runner";
import { campaigns } from "../../drizzle/schema";
import type { Db } from "../context";
import type { Env } from "../env";

/** The campaign's runner: one Durable Object per campaign, named by its id. */
export function runnerOf(env: Env, campaignId: string): DurableObjectStub<CampaignRunner> {
  const namespace = env.CAMPAIGN_RUNNER as DurableObjectNamespace<CampaignRunner>;
  return namespace.get(namespace.idFromName(campaignId));
}

/** Pauses a running campaign in D1 and in its runner, with the reason the dashboard shows. */
export async function pauseCampaign(env: Env, db: Db, campaignId: string, orgId: string, reason: string): Promise<void> {
  await db
    .update(campaigns)
    .set({ status: "paused", pausedReason: reason, updatedAt: new Date() })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.orgId, orgId), eq(campaigns.status, "active")));
  await runnerOf(env, campaignId).pause(reason);
}
