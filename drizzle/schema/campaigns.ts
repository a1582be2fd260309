import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, oneOf, updatedAt } from "./columns";
import { scripts, voiceConfigs } from "./content";
import { CAMPAIGN_LEAD_STATUSES, CAMPAIGN_STATUSES, CHANNELS, OUTBOX_STATES, type Channel } from "./enums";
import { organizations } from "./identity";
import { leads } from "./leads";

export interface CampaignSchedule {
  /** Local time of the lead, "HH:MM". */
  windowStart: string;
  windowEnd: string;
  /** ISO weekdays 1 (Mon) … 7 (Sun) on which the campaign may contact leads. */
  days: number[];
}

/** One touch of a sequence: the first has delay 0; later ones wait for the previous to succeed. */
export interface CampaignStep {
  /** Minutes after the previous step succeeded. */
  delayMinutes: number;
  /** Channels to try in order; null means the campaign's channel priority. */
  channels: Channel[] | null;
  /** Skip this step (and later ones) once the lead has replied. */
  stopOnReply: boolean;
}

export const campaigns = sqliteTable(
  "campaigns",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scriptId: text("script_id").references(() => scripts.id, { onDelete: "set null" }),
    voiceConfigId: text("voice_config_id").references(() => voiceConfigs.id, { onDelete: "set null" }),
    status: text("status", { enum: CAMPAIGN_STATUSES }).notNull().default("draft"),
    channels: text("channels", { mode: "json" }).$type<Channel[]>().notNull(),
    channelPriority: text("channel_priority", { mode: "json" }).$type<Channel[]>().notNull(),
    schedule: text("schedule", { mode: "json" }).$type<CampaignSchedule>().notNull(),
    steps: text("steps", { mode: "json" })
      .$type<CampaignStep[]>()
      .notNull()
      .default(sql`'[{"delayMinutes":0,"channels":null,"stopOnReply":true}]'`),
    /** When execution started and finished, and the final counts. */
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    startAt: integer("start_at", { mode: "timestamp_ms" }),
    /** Why the engine paused it (e.g. a plan limit), shown in the dashboard. */
    pausedReason: text("paused_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("campaigns_org_idx").on(t.orgId, t.id),
    index("campaigns_org_status_idx").on(t.orgId, t.status, t.id),
    oneOf("campaigns_status_check", t.status, CAMPAIGN_STATUSES),
  ],
);

/** Lead assignment: a lead may be in several campaigns; each assignment has its own progress. */
export const campaignLeads = sqliteTable(
  "campaign_leads",
  {
    campaignId: text("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    leadId: text("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    status: text("status", { enum: CAMPAIGN_LEAD_STATUSES }).notNull().default("pending"),
    step: integer("step").notNull().default(0),
    lastChannel: text("last_channel", { enum: CHANNELS }),
    lastError: text("last_error"),
    /** Not before this time (quiet hours, touch caps, follow-up delays); null means now. */
    nextAt: integer("next_at", { mode: "timestamp_ms" }),
    /** Why the lead waits or was skipped, for the dashboard ("quiet hours", "suppressed", …). */
    note: text("note"),
    addedAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.leadId] }),
    index("campaign_leads_lead_idx").on(t.leadId),
    index("campaign_leads_org_idx").on(t.orgId, t.campaignId, t.status),
    index("campaign_leads_due_idx").on(t.campaignId, t.status, t.leadId),
    oneOf("campaign_leads_status_check", t.status, CAMPAIGN_LEAD_STATUSES),
  ],
);

/**
 * One row per send attempt, keyed by (campaign, lead, step, channel). The dispatcher claims the
 * row before calling the provider and records the provider's id after, so a redelivered message
 * never sends twice.
 */
export const dispatchOutbox = sqliteTable(
  "dispatch_outbox",
  {
    idempotencyKey: text("idempotency_key").primaryKey(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    leadId: text("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    step: integer("step").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    state: text("state", { enum: OUTBOX_STATES }).notNull().default("pending"),
    providerMessageId: text("provider_message_id"),
    /** What was (or will be) sent, kept so a retry sends the very same content. */
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The messages row this send produced. */
    messageId: text("message_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("dispatch_outbox_campaign_idx").on(t.orgId, t.campaignId, t.state),
    oneOf("dispatch_outbox_state_check", t.state, OUTBOX_STATES),
    oneOf("dispatch_outbox_channel_check", t.channel, CHANNELS),
    check("dispatch_outbox_step_check", sql`${t.step} >= 0`),
  ],
);
