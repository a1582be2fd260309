import type { Channel } from "../../drizzle/schema/enums";
import { DEFAULT_RATE_LIMITS, type BucketLimits } from "../../workers/domain/pacing";

/** Channel limits, with the email rate raised when the Resend account allows more (EMAIL_SENDS_PER_SECOND). */
export function channelLimits(emailSendsPerSecond: string | undefined): Record<Channel, BucketLimits> {
  const rate = Number(emailSendsPerSecond);
  if (!Number.isFinite(rate) || rate <= 0) return DEFAULT_RATE_LIMITS;
  return { ...DEFAULT_RATE_LIMITS, email: { capacity: Math.max(1, Math.floor(rate / 2)), refillPerSecond: rate } };
}
