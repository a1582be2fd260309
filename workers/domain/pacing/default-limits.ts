import type { BucketLimits } from "./token-bucket";

/**
 * Starting limits per provider and per key. `email`, `voice` and `telegram` are each channel's
 * provider limit, so `DEFAULT_RATE_LIMITS[channel]` is the bucket every send on that channel needs;
 * the rest are the extra keys a send also takes from. Each names its key and its source. A provider's 429 (with its Retry-After) still wins over these: they keep us below
 * the published limits, they do not replace reading the answer.
 */
export const DEFAULT_RATE_LIMITS = {
  /**
   * Resend allows 2 requests per second per team, shared by all of the team's API keys
   * (https://resend.com/docs/api-reference/rate-limit). Key it by Resend API key, not by org, when
   * orgs share the platform's key. Capacity 1 spaces requests 500 ms apart, so no one-second
   * window ever holds three; capacity 2 would allow 4 within a second after an idle spell.
   */
  email: { capacity: 1, refillPerSecond: 2 },
  /**
   * Twilio gives every account (and subaccount) 1 outbound call per second by default
   * (https://www.twilio.com/docs/glossary/cps); faster requests queue at Twilio and are not rejected,
   * so this keeps our view of "call started" honest rather than preventing errors.
   */
  voice: { capacity: 1, refillPerSecond: 1 },
  /**
   * The floor between two DMs from one Telegram user account: the seed's 30 s minimum. Telegram
   * publishes no limit for user accounts (FloodWait and PEER_FLOOD are how it tells us); the
   * engine adds a humanGapMs(telegramHumanGap) pause on top. Keyed by Telegram account.
   */
  telegram: { capacity: 1, refillPerSecond: 1 / 30 },
  /** The seed's random pause between Telegram sends, 30–90 s (seed-architecture, Telegram flow). */
  telegramHumanGap: { minSeconds: 30, maxSeconds: 90 },
  /**
   * Live calls at once per org. Each call holds one ElevenLabs stream, and 5 is ElevenLabs'
   * concurrency on its Creator plan (help.elevenlabs.io, "API Error Code 429"); a counter of open
   * calls, not a bucket, since a call's slot frees when it ends, not as time passes.
   */
  concurrentCallsPerOrg: 5,
} as const satisfies Record<string, BucketLimits | { minSeconds: number; maxSeconds: number } | number>;

/**
 * We pace 10% under a provider's published rate. Our pacer and the provider's counter are a network
 * hop apart, and requests admitted exactly 500 ms apart can land 420 ms apart and put a third
 * request into Resend's one-second window. At 4% (40 ms of slack) the benchmark still met one 429
 * in 200 sends on a quiet machine; 10% of a second, 100 ms, covers the hop.
 */
export const PACING_MARGIN = 0.1;

/** The limits we actually pace at: the provider's, slowed by PACING_MARGIN. */
export function withMargin(limits: BucketLimits): BucketLimits {
  return { capacity: limits.capacity, refillPerSecond: limits.refillPerSecond / (1 + PACING_MARGIN) };
}
