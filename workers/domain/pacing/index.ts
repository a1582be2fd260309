// Pacing: token buckets as JSON-friendly data, all-or-nothing takes across several buckets,
// jitter and human-like gaps from an injected RNG, and the default limits per provider.
export { createBucket, refill, take, type BucketLimits, type TakeResult, type TokenBucket } from "./token-bucket";
export { takeAll, type BucketSet, type TakeAllResult } from "./take-all";
export { humanGapMs, withJitter, type Rng } from "./jitter";
export { DEFAULT_RATE_LIMITS } from "./default-limits";
