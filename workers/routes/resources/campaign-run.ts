import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { campaignLeads, campaigns, channelConfigs } from "../../../drizzle/schema";
import { CAMPAIGN_STATUSES, CHANNELS, type Channel } from "../../../drizzle/schema/enums";
import type { RunPlan } from "../../../durable-objects/campaign-runner/campaign-runner";
import { emailSenderPace } from "../../engine/channels/email-channel";
import { channelSenders } from "../../providers/registry";
import type { AppEnv } from "../../context";
import { runnerOf } from "../../engine/runner-client";
import { AppError, notFound } from "../../errors";
import { createRouter } from "../router";
import { COMMON_ERRORS, IdParam, jsonResponse } from "../shared";

const Progress = z
  .object({
    campaignId: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    pausedReason: z.string().nullable(),
    counts: z.object({ total: z.number().int(), processed: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), skipped: z.number().int() }),
    startedAt: z.number().int().nullable(),
    completedAt: z.number().int().nullable(),
  })
  .openapi("CampaignProgress");

type Campaign = typeof campaigns.$inferSelect;

async function loadCampaign(c: Context<AppEnv>, id: string): Promise<Campaign> {
  const [row] = await c.get("db").select().from(campaigns).where(and(eq(campaigns.id, id), eq(campaigns.orgId, c.get("tenant").orgId))).limit(1);
  if (!row) throw notFound("Campaign");
  return row;
}

async function planOf(c: Context<AppEnv>, campaign: Campaign): Promise<RunPlan> {
  const [email] = await c.get("db")
    .select({ config: channelConfigs.config })
    .from(channelConfigs)
    .where(and(eq(channelConfigs.orgId, campaign.orgId), eq(channelConfigs.channel, "email"), eq(channelConfigs.status, "active")))
    .limit(1);
  const emailPace = emailSenderPace(email?.config ?? null);
  return {
    channelPriority: campaign.channelPriority,
    steps: campaign.steps,
    availableChannels: Object.keys(channelSenders(c.env, c.get("db"))).filter((ch): ch is Channel => (CHANNELS as readonly string[]).includes(ch)),
    ...(emailPace ? { senderPace: { email: emailPace } } : {}),
  };
}

async function setStatus(c: Context<AppEnv>, campaign: Campaign, from: Campaign["status"][], changes: Partial<typeof campaigns.$inferInsert>) {
  const updated = await c.get("db")
    .update(campaigns)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.orgId, campaign.orgId), sql`${campaigns.status} IN (${sql.join(from.map((s) => sql`${s}`), sql`, `)})`))
    .returning({ id: campaigns.id });
  // Someone else changed the campaign between our read and this write.
  if (updated.length === 0) throw new AppError("conflict", "The campaign changed meanwhile; reload and try again.");
}

/** The runner's view, or the campaign row's when it never ran. */
async function progressOf(c: Context<AppEnv>, campaign: Campaign) {
  const live = await runnerOf(c.env, campaign.id).progress();
  if (live) return { ...live, status: campaign.status, pausedReason: campaign.pausedReason };
  const [row] = await c.get("db").select({ total: sql<number>`count(*)` }).from(campaignLeads).where(and(eq(campaignLeads.campaignId, campaign.id), eq(campaignLeads.orgId, campaign.orgId)));
  return { campaignId: campaign.id, status: campaign.status, pausedReason: campaign.pausedReason, counts: { total: row?.total ?? 0, processed: 0, succeeded: 0, failed: 0, skipped: 0 }, startedAt: null, completedAt: null };
}

const action = <P extends `/${string}`>(path: P, summary: string) =>
  createRoute({ method: "post", path, tags: ["Campaigns"], summary, request: { params: IdParam }, responses: { 202: jsonResponse(Progress, "Accepted; the runner carries on in the background"), 409: COMMON_ERRORS[422], ...COMMON_ERRORS } });

export function campaignRunRoutes() {
  return createRouter()
    .openapi(action("/campaigns/{id}/execute", "Start sending: the campaign's runner takes over and this returns at once"), async (c) => {
      const campaign = await loadCampaign(c, c.req.valid("param").id);
      if (campaign.status !== "draft") throw new AppError("conflict", `The campaign is ${campaign.status}; only a draft can be executed${campaign.status === "paused" ? " (resume it instead)" : ""}.`);
      const [row] = await c.get("db").select({ total: sql<number>`count(*)` }).from(campaignLeads).where(and(eq(campaignLeads.campaignId, campaign.id), eq(campaignLeads.orgId, campaign.orgId)));
      const total = row?.total ?? 0;
      if (total === 0) throw new AppError("conflict", "The campaign has no leads; assign some first.");
      await setStatus(c, campaign, ["draft"], { status: "active", startedAt: new Date(), pausedReason: null });
      const progress = await runnerOf(c.env, campaign.id).start({ campaignId: campaign.id, orgId: campaign.orgId, total, plan: await planOf(c, campaign) });
      return c.json({ ...progress, status: "active" as const }, 202);
    })
    .openapi(action("/campaigns/{id}/pause", "Stop taking new leads; sends already under way finish"), async (c) => {
      const campaign = await loadCampaign(c, c.req.valid("param").id);
      if (campaign.status !== "active") throw new AppError("conflict", `Only an active campaign can be paused; this one is ${campaign.status}.`);
      await setStatus(c, campaign, ["active"], { status: "paused", pausedReason: "paused by a user" });
      await runnerOf(c.env, campaign.id).pause("paused by a user");
      return c.json(await progressOf(c, { ...campaign, status: "paused", pausedReason: "paused by a user" }), 202);
    })
    .openapi(action("/campaigns/{id}/resume", "Carry on where the campaign stopped"), async (c) => {
      const campaign = await loadCampaign(c, c.req.valid("param").id);
      if (campaign.status !== "paused") throw new AppError("conflict", `Only a paused campaign can be resumed; this one is ${campaign.status}.`);
      await setStatus(c, campaign, ["paused"], { status: "active", pausedReason: null });
      await runnerOf(c.env, campaign.id).resume(await planOf(c, campaign));
      return c.json(await progressOf(c, { ...campaign, status: "active", pausedReason: null }), 202);
    })
    .openapi(action("/campaigns/{id}/cancel", "Stop for good; leads not yet reached are left alone"), async (c) => {
      const campaign = await loadCampaign(c, c.req.valid("param").id);
      if (!["draft", "active", "paused"].includes(campaign.status)) throw new AppError("conflict", `A ${campaign.status} campaign cannot be cancelled.`);
      await setStatus(c, campaign, ["draft", "active", "paused"], { status: "cancelled", completedAt: new Date() });
      await runnerOf(c.env, campaign.id).cancel();
      return c.json(await progressOf(c, { ...campaign, status: "cancelled" }), 202);
    })
    .openapi(
      createRoute({ method: "get", path: "/campaigns/{id}/progress", tags: ["Campaigns"], summary: "Counts so far; connect with `Upgrade: websocket` for live updates", request: { params: IdParam }, responses: { 200: jsonResponse(Progress, "Progress"), 101: { description: "A WebSocket that receives the progress on every change" }, ...COMMON_ERRORS } }),
      async (c) => {
        const campaign = await loadCampaign(c, c.req.valid("param").id);
        if (c.req.header("upgrade")?.toLowerCase() === "websocket") {
          // Ownership was checked above; the runner only streams this campaign's counts.
          return runnerOf(c.env, campaign.id).fetch(c.req.raw) as unknown as Response;
        }
        return c.json(await progressOf(c, campaign), 200);
      },
    );
}
