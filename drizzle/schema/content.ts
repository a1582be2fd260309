import { sql } from "drizzle-orm";
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, oneOf, updatedAt } from "./columns";
import { CHANNEL_CONFIG_STATUSES, CHANNELS, LANGUAGES, NUMBER_STATUSES, PERSONALITIES } from "./enums";
import { organizations } from "./identity";

export interface ObjectionHandler {
  triggers: string[];
  response: string;
}

export const scripts = sqliteTable(
  "scripts",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    content: text("content").notNull().default(""),
    objectionHandlers: text("objection_handlers", { mode: "json" })
      .$type<ObjectionHandler[]>()
      .notNull()
      .default(sql`'[]'`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("scripts_org_idx").on(t.orgId, t.id)],
);

export const voiceConfigs = sqliteTable(
  "voice_configs",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** ElevenLabs voice id. */
    voiceId: text("voice_id").notNull(),
    language: text("language", { enum: LANGUAGES }).notNull().default("uk"),
    personality: text("personality", { enum: PERSONALITIES }).notNull().default("professional"),
    speed: real("speed").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("voice_configs_org_idx").on(t.orgId, t.id),
    oneOf("voice_configs_language_check", t.language, LANGUAGES),
    oneOf("voice_configs_personality_check", t.personality, PERSONALITIES),
    // ElevenLabs accepts speeds in this range.
    check("voice_configs_speed_check", sql`${t.speed} BETWEEN 0.7 AND 1.2`),
  ],
);

export const phoneNumbers = sqliteTable(
  "phone_numbers",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    /** E.164. A number belongs to one org at a time. */
    number: text("number").notNull(),
    label: text("label"),
    provider: text("provider").notNull().default("twilio"),
    providerSid: text("provider_sid"),
    status: text("status", { enum: NUMBER_STATUSES }).notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("phone_numbers_number_unique").on(t.number),
    index("phone_numbers_org_idx").on(t.orgId, t.id),
    oneOf("phone_numbers_status_check", t.status, NUMBER_STATUSES),
  ],
);

export const channelConfigs = sqliteTable(
  "channel_configs",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    status: text("status", { enum: CHANNEL_CONFIG_STATUSES }).notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("channel_configs_org_channel_unique").on(t.orgId, t.channel),
    oneOf("channel_configs_channel_check", t.channel, CHANNELS),
    oneOf("channel_configs_status_check", t.status, CHANNEL_CONFIG_STATUSES),
  ],
);

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Signing secret, AES-GCM encrypted; it must be recoverable to sign deliveries. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.orgId, t.id)],
);
