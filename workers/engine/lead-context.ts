import { and, eq, gt, inArray } from "drizzle-orm";
import { campaignLeads, campaigns, channelConfigs, leads, messages, organizations, scripts, suppressions, voiceConfigs } from "../../drizzle/schema";
import type { Channel } from "../../drizzle/schema/enums";
import type { Db } from "../context";
import type { DispatchMessage } from "./dispatch-message";

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Everything the consumer reads about one lead's turn, each read scoped by the org. */
export async function loadLeadContext(db: Db, message: DispatchMessage, now: Date) {
  const { orgId, campaignId, leadId } = message;
  const [campaign] = await db.select().from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.orgId, orgId))).limit(1);
  if (!campaign) return null;
  const [[assignment], [lead], [org], configs] = await Promise.all([
    db.select().from(campaignLeads).where(and(eq(campaignLeads.campaignId, campaignId), eq(campaignLeads.leadId, leadId), eq(campaignLeads.orgId, orgId))).limit(1),
    db.select().from(leads).where(and(eq(leads.id, leadId), eq(leads.orgId, orgId))).limit(1),
    db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1),
    db.select().from(channelConfigs).where(and(eq(channelConfigs.orgId, orgId), eq(channelConfigs.status, "active"))),
  ]);
  if (!assignment || !lead || !org) return null;
  const contacts = [lead.phone, lead.email, lead.telegramUsername].filter((v): v is string => v !== null);
  const [suppressed, [script], [voice], touches] = await Promise.all([
    contacts.length ? db.select({ kind: suppressions.kind }).from(suppressions).where(and(eq(suppressions.orgId, orgId), inArray(suppressions.value, contacts))).limit(1) : Promise.resolve([]),
    campaign.scriptId ? db.select().from(scripts).where(and(eq(scripts.id, campaign.scriptId), eq(scripts.orgId, orgId))).limit(1) : Promise.resolve([]),
    campaign.voiceConfigId ? db.select().from(voiceConfigs).where(and(eq(voiceConfigs.id, campaign.voiceConfigId), eq(voiceConfigs.orgId, orgId))).limit(1) : Promise.resolve([]),
    db.select({ at: messages.createdAt }).from(messages).where(and(eq(messages.orgId, orgId), eq(messages.leadId, leadId), eq(messages.direction, "outbound"), gt(messages.createdAt, new Date(now.getTime() - WEEK_MS)))),
  ]);
  const channelConfig = (channel: Channel) => configs.find((c) => c.channel === channel)?.config ?? null;
  return {
    campaign,
    assignment,
    lead,
    org,
    script: script ?? null,
    voice: voice ?? null,
    suppressedAs: suppressed[0]?.kind ?? null,
    touches: touches.map((t) => t.at),
    channelConfig,
  };
}

export type LeadContext = NonNullable<Awaited<ReturnType<typeof loadLeadContext>>>;
