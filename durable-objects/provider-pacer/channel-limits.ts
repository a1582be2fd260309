import type { Channel } from "../../drizzle/schema/enums";
import { DEFAULT_RATE_LIMITS, withMargin, type BucketLimits } from "../../workers/domain/pacing";

/** A provider's rate raised when the account allows more (a Resend quota, Twilio CPS bought), else its default. */
function raised(rate: string | undefined, fallback: BucketLimits): BucketLimits {
  const perSecond = Number(rate);
  return Number.isFinite(perSecond) && perSecond > 0 ? { capacity: Math.max(1, Math.floor(perSecond / 2)), refillPerSecond: perSecond } : fallback;
}

/**
 * The limits each channel is paced at: the provider's published limit, or the account's raised one
 * (EMAIL_SENDS_PER_SECOND, VOICE_CALLS_PER_SECOND), slowed by the pacing margin.
 */
export function channelLimits(env: { EMAIL_SENDS_PER_SECOND?: string | undefined; VOICE_CALLS_PER_SECOND?: string | undefined }): Record<Channel, BucketLimits> {
  return {
    email: withMargin(raised(env.EMAIL_SENDS_PER_SECOND, DEFAULT_RATE_LIMITS.email)),
    voice: withMargin(raised(env.VOICE_CALLS_PER_SECOND, DEFAULT_RATE_LIMITS.voice)),
    telegram: DEFAULT_RATE_LIMITS.telegram,
  };
}
