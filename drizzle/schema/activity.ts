import { sql } from "drizzle-orm";
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { campaigns } from "./campaigns";
import { createdAt, id, oneOf } from "./columns";
import { phoneNumbers } from "./content";
import {
  CALL_DIRECTIONS,
  CALL_STATUSES,
  CHANNELS,
  MESSAGE_DIRECTIONS,
  MESSAGE_STATUSES,
  SENTIMENTS,
} from "./enums";
import { organizations } from "./identity";
import { leads } from "./leads";

export interface TranscriptEntry {
  role: "agent" | "callee";
  text: string;
  /** Milliseconds from the start of the call. */
  at: number;
}

/** One log for every channel's outbound and inbound messages. */
export const messages = sqliteTable(
  "messages",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    leadId: text("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    direction: text("direction", { enum: MESSAGE_DIRECTIONS }).notNull(),
    status: text("status", { enum: MESSAGE_STATUSES }).notNull(),
    subject: text("subject"),
    content: text("content"),
    providerMessageId: text("provider_message_id"),
    parentId: text("parent_id"),
    idempotencyKey: text("idempotency_key"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [
    index("messages_org_idx").on(t.orgId, t.id),
    index("messages_org_lead_idx").on(t.orgId, t.leadId, t.id),
    index("messages_org_campaign_idx").on(t.orgId, t.campaignId, t.id),
    index("messages_provider_idx").on(t.providerMessageId),
    index("messages_org_lead_time_idx").on(t.orgId, t.leadId, t.createdAt),
    uniqueIndex("messages_idempotency_unique").on(t.idempotencyKey),
    oneOf("messages_channel_check", t.channel, CHANNELS),
    oneOf("messages_direction_check", t.direction, MESSAGE_DIRECTIONS),
    oneOf("messages_status_check", t.status, MESSAGE_STATUSES),
  ],
);

export const callLogs = sqliteTable(
  "call_logs",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    leadId: text("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    phoneNumberId: text("phone_number_id").references(() => phoneNumbers.id, { onDelete: "set null" }),
    direction: text("direction", { enum: CALL_DIRECTIONS }).notNull(),
    status: text("status", { enum: CALL_STATUSES }).notNull().default("queued"),
    fromNumber: text("from_number"),
    toNumber: text("to_number"),
    providerCallId: text("provider_call_id"),
    durationSeconds: integer("duration_seconds"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    transcript: text("transcript", { mode: "json" }).$type<TranscriptEntry[]>().notNull().default(sql`'[]'`),
    summary: text("summary"),
    sentiment: text("sentiment", { enum: SENTIMENTS }),
    score: real("score"),
    outcome: text("outcome"),
    costEstimateCents: integer("cost_estimate_cents"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [
    index("call_logs_org_idx").on(t.orgId, t.id),
    index("call_logs_org_lead_idx").on(t.orgId, t.leadId, t.id),
    index("call_logs_provider_idx").on(t.providerCallId),
    oneOf("call_logs_direction_check", t.direction, CALL_DIRECTIONS),
    oneOf("call_logs_status_check", t.status, CALL_STATUSES),
    check("call_logs_sentiment_check", sql`${t.sentiment} IS NULL OR ${t.sentiment} IN ('positive', 'negative', 'neutral')`),
    check("call_logs_score_check", sql`${t.score} IS NULL OR ${t.score} BETWEEN 0 AND 100`),
  ],
);
