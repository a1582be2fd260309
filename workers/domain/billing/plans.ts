import type { Channel, Plan } from "../../../drizzle/schema/enums";

/** Monthly usage metrics, as counted in usage_counters. */
export type UsageMetric = "voice_seconds" | "telegram_messages" | "emails";

export const METRIC_OF_CHANNEL: Record<Channel, UsageMetric> = {
  voice: "voice_seconds",
  telegram: "telegram_messages",
  email: "emails",
};

/** null means unlimited. */
export type PlanLimits = Record<UsageMetric, number | null> & { phoneNumbers: number | null };

/**
 * The seed's prices and limits (starter 500 min / 100 Telegram / 500 emails, growth 2,000 / 500 /
 * 2,000, enterprise unlimited). Free gets a small trial quota instead of the seed's zero, so
 * "Start free trial" means something.
 */
export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { voice_seconds: 10 * 60, telegram_messages: 20, emails: 50, phoneNumbers: 0 },
  starter: { voice_seconds: 500 * 60, telegram_messages: 100, emails: 500, phoneNumbers: 1 },
  growth: { voice_seconds: 2_000 * 60, telegram_messages: 500, emails: 2_000, phoneNumbers: 5 },
  enterprise: { voice_seconds: null, telegram_messages: null, emails: null, phoneNumbers: null },
};

/** Usage is counted per UTC calendar month. */
export function usagePeriod(now: Date): string {
  return now.toISOString().slice(0, 7);
}

export function remaining(plan: Plan, metric: UsageMetric, used: number): number {
  const limit = PLAN_LIMITS[plan][metric];
  return limit === null ? Number.POSITIVE_INFINITY : Math.max(0, limit - used);
}
