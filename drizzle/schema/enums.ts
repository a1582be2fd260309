/** Every status and kind the schema accepts; the API's zod schemas reuse these lists. */
export const PLANS = ["free", "starter", "growth", "enterprise"] as const;
export const ORG_ROLES = ["owner", "admin", "member"] as const;
export const CHANNELS = ["telegram", "voice", "email"] as const;
export const LEAD_STATUSES = ["new", "contacted", "replied", "qualified", "converted", "rejected"] as const;
export const CAMPAIGN_STATUSES = ["draft", "active", "paused", "completed", "cancelled"] as const;
export const CAMPAIGN_LEAD_STATUSES = ["pending", "in_progress", "succeeded", "failed", "skipped"] as const;
export const LANGUAGES = ["uk", "en", "uk-en", "de", "pl", "fr", "es"] as const;
export const PERSONALITIES = ["professional", "friendly", "assertive", "empathetic", "casual"] as const;
export const NUMBER_STATUSES = ["active", "inactive", "pending"] as const;
export const CALL_DIRECTIONS = ["outbound", "inbound"] as const;
export const CALL_STATUSES = ["queued", "in_progress", "completed", "failed", "no_answer", "voicemail", "busy"] as const;
export const SENTIMENTS = ["positive", "negative", "neutral"] as const;
export const MESSAGE_DIRECTIONS = ["outbound", "inbound"] as const;
export const MESSAGE_STATUSES = ["pending", "sent", "delivered", "read", "replied", "failed", "bounced"] as const;
export const TELEGRAM_ACCOUNT_STATUSES = ["warming_up", "active", "cooldown", "banned", "disabled"] as const;
export const CHANNEL_CONFIG_STATUSES = ["active", "inactive"] as const;
export const OUTBOX_STATES = ["pending", "sending", "sent", "failed"] as const;
export const USAGE_METRICS = ["voice_seconds", "telegram_messages", "emails"] as const;
export const SUPPRESSION_KINDS = ["opt_out", "bounce", "complaint", "do_not_call", "manual"] as const;
export const IMPORT_STATUSES = ["open", "completed"] as const;

export type Plan = (typeof PLANS)[number];
export type OrgRole = (typeof ORG_ROLES)[number];
export type Channel = (typeof CHANNELS)[number];
