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

/**
 * The pause between two DMs from one Telegram account: TELEGRAM_GAP_SECONDS as "min-max" (tests
 * shorten it), else the seed's 30–90 s.
 */
export function telegramGap(env: { TELEGRAM_GAP_SECONDS?: string | undefined }): { minSeconds: number; maxSeconds: number } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(env.TELEGRAM_GAP_SECONDS ?? "");
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  return min >= 0 && max >= min ? { minSeconds: min, maxSeconds: max } : DEFAULT_RATE_LIMITS.telegramHumanGap;
}
