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
   * One email every 30 s per sender domain. No provider publishes a limit here; this follows
   * mailbox-provider advice for outreach to space sends out rather than burst (Nylas recommends at
   * most one every 30 s per mailbox: developer.nylas.com, "Improving email deliverability").
   */
  emailSenderDomain: { capacity: 1, refillPerSecond: 1 / 30 },
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
   * Our own fairness budget, not a provider's: one dispatch a second per org (bursts of 5) keeps
   * one org's large campaign from taking all of a shared provider budget such as Resend's 2/s.
   */
  orgDispatch: { capacity: 5, refillPerSecond: 1 },
  /**
   * Live calls at once per org. Each call holds one ElevenLabs stream, and 5 is ElevenLabs'
   * concurrency on its Creator plan (help.elevenlabs.io, "API Error Code 429"); a counter of open
   * calls, not a bucket, since a call's slot frees when it ends, not as time passes.
   */
  concurrentCallsPerOrg: 5,
} as const satisfies Record<string, BucketLimits | { minSeconds: number; maxSeconds: number } | number>;
