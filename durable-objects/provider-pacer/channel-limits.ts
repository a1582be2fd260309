import type { Channel } from "../../drizzle/schema/enums";
import { DEFAULT_RATE_LIMITS, withMargin, type BucketLimits } from "../../workers/domain/pacing";

/**
 * The limits each channel is paced at: the provider's published limit (the email rate raised when
 * the Resend account allows more, EMAIL_SENDS_PER_SECOND), slowed by the pacing margin.
 */
export function channelLimits(emailSendsPerSecond: string | undefined): Record<Channel, BucketLimits> {
  const rate = Number(emailSendsPerSecond);
  const email = Number.isFinite(rate) && rate > 0 ? { capacity: Math.max(1, Math.floor(rate / 2)), refillPerSecond: rate } : DEFAULT_RATE_LIMITS.email;
  return { email: withMargin(email), voice: withMargin(DEFAULT_RATE_LIMITS.voice), telegram: DEFAULT_RATE_LIMITS.telegram };
}
