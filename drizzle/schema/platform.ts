import { check, integer, primaryKey, sqliteTable, text, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, id, oneOf } from "./columns";
import { TELEGRAM_ACCOUNT_STATUSES, USAGE_METRICS } from "./enums";
import { organizations } from "./identity";

/** Monthly usage per org and metric, incremented at send time so limits read in O(1). */
export const usageCounters = sqliteTable(
  "usage_counters",
  {
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    /** UTC calendar month, "YYYY-MM". */
    period: text("period").notNull(),
    metric: text("metric", { enum: USAGE_METRICS }).notNull(),
    used: integer("used").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.period, t.metric] }),
    oneOf("usage_counters_metric_check", t.metric, USAGE_METRICS),
    check("usage_counters_used_check", sql`${t.used} >= 0`),
  ],
);

export const telegramAccounts = sqliteTable(
  "telegram_accounts",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    phone: text("phone").notNull(),
    username: text("username"),
    displayName: text("display_name"),
    /** gramjs StringSession, AES-GCM encrypted with a key from a secret; null until the login completes. */
    sessionCiphertext: text("session_ciphertext"),
    /** Telegram's own id for the account's user, once logged in. */
    telegramUserId: text("telegram_user_id"),
    /** Stored statuses are warming_up, active, banned and disabled; "cooldown" is shown while cooldownUntil is ahead. */
    status: text("status", { enum: TELEGRAM_ACCOUNT_STATUSES }).notNull().default("warming_up"),
    dailySentCount: integer("daily_sent_count").notNull().default(0),
    /** UTC date ("YYYY-MM-DD") dailySentCount counts; another date means nothing was sent today yet. */
    dailyCountDate: text("daily_count_date"),
    /** The ceiling the owner sets; a warming-up account's allowance rises day by day towards it. */
    dailyLimit: integer("daily_limit").notNull().default(10),
    cooldownUntil: integer("cooldown_until", { mode: "timestamp_ms" }),
    /** Why the account last stopped or cooled (a flood wait, PEER_FLOOD, a revoked session), for the dashboard. */
    lastError: text("last_error"),
    lastSentAt: integer("last_sent_at", { mode: "timestamp_ms" }),
    warmupStartedAt: integer("warmup_started_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("telegram_accounts_org_phone_unique").on(t.orgId, t.phone),
    index("telegram_accounts_org_idx").on(t.orgId, t.status, t.dailySentCount),
    oneOf("telegram_accounts_status_check", t.status, TELEGRAM_ACCOUNT_STATUSES),
  ],
);

/** Dispatch messages the queue gave up on, with their last error, for the dashboard. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id"),
    leadId: text("lead_id"),
    body: text("body", { mode: "json" }).$type<unknown>().notNull(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("dead_letters_org_idx").on(t.orgId, t.id)],
);

/** Webhook deliveries already applied, by the provider's delivery id: a replay is ignored. */
export const webhookReceipts = sqliteTable("webhook_receipts", {
  deliveryId: text("delivery_id").primaryKey(),
  provider: text("provider").notNull(),
  receivedAt: createdAt(),
});

/**
 * Fixed-window counters for public endpoints (the demo call), one row per key and window. A hit
 * is one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent requests never both see the
 * last free slot. Keys hold hashes, never a phone number or address in clear.
 */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    /** The window's label, e.g. a UTC day "YYYY-MM-DD". */
    window: text("window").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.window] }), index("rate_limits_window_idx").on(t.window)],
);
