import type { Channel } from "../../drizzle/schema/enums";
import { createBucket, DEFAULT_RATE_LIMITS, take, type BucketLimits, type TokenBucket } from "../../workers/domain/pacing";

/** Channel limits, with the email rate raised when the Resend account allows more (EMAIL_SENDS_PER_SECOND). */
export function channelLimits(emailSendsPerSecond: string | undefined): Record<Channel, BucketLimits> {
  const rate = Number(emailSendsPerSecond);
  if (!Number.isFinite(rate) || rate <= 0) return DEFAULT_RATE_LIMITS;
  return { ...DEFAULT_RATE_LIMITS, email: { capacity: Math.max(1, Math.floor(rate / 2)), refillPerSecond: rate } };
}

/**
 * One token bucket per channel for this campaign, kept in the runner's storage so pacing
 * survives evictions. Rates come from the providers' documented limits (see pacing/).
 */
export class ChannelPacer {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly limits: Record<Channel, BucketLimits> = DEFAULT_RATE_LIMITS,
  ) {}

  async take(channel: Channel, now: number): Promise<{ ok: true } | { ok: false; retryAt: number }> {
    const key = `bucket:${channel}`;
    const stored = await this.storage.get<TokenBucket>(key);
    const limits = this.limits[channel];
    // A changed limit (e.g. a raised Resend quota) takes effect without losing the bucket's level.
    const bucket = stored && stored.refillPerSecond === limits.refillPerSecond && stored.capacity === limits.capacity ? stored : createBucket(limits);
    const result = take(bucket, new Date(now));
    await this.storage.put(key, result.bucket);
    return result.ok ? { ok: true } : { ok: false, retryAt: result.retryAt.getTime() };
  }
}
