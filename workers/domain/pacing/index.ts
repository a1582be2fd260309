// Pacing: token buckets as JSON-friendly data, all-or-nothing takes across several buckets,
// jitter and human-like gaps from an injected RNG, and the default limits per provider.
export { createBucket, refill, take, type BucketLimits, type TakeResult, type TokenBucket } from "./token-bucket";
export { humanGapMs, withJitter, type Rng } from "./jitter";
export { DEFAULT_RATE_LIMITS, PACING_MARGIN, withMargin } from "./default-limits";
export { BACKLOG_WINDOW_MS, freshFairState, grantFairly, sameLimits, type FairGrant, type FairGrantState } from "./fair-share";
export { admitSend, type WindowDecision } from "./send-window";
export { takeAccountTurns, type AccountSlot, type AccountTurns } from "./account-turns";
