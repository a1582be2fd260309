import { DurableObject } from "cloudflare:workers";
import type { Channel } from "../../drizzle/schema/enums";
import { createBucket, refill, take, type BucketLimits, type TokenBucket } from "../../workers/domain/pacing";
import type { Env } from "../../workers/env";
import { channelLimits } from "./channel-limits";

export interface Grant {
  granted: number;
  /** When the next token is due, if not all were granted. */
  retryAt: number | null;
}

/**
 * The platform's provider accounts are shared by every org and campaign (Resend allows 2 requests
 * a second per team, Twilio 1 call a second per account), so their buckets live in one place:
 * this object, named "providers". Campaign runners ask it for tokens a page of leads at a time.
 */
export class ProviderPacer extends DurableObject<Env> {
  /** Grants up to `wanted` sends on the channel now; the rest must wait until `retryAt`. */
  async grant(channel: Channel, wanted: number, now: number): Promise<Grant> {
    const limits = channelLimits(this.env.EMAIL_SENDS_PER_SECOND)[channel];
    const key = `bucket:${channel}`;
    const stored = await this.ctx.storage.get<TokenBucket>(key);
    // A changed limit (e.g. a raised Resend quota) starts a fresh bucket.
    let bucket = stored && sameLimits(stored, limits) ? refill(stored, now) : createBucket(limits);
    const granted = Math.min(wanted, Math.floor(bucket.tokens + 1e-9));
    if (granted > 0) {
      const taken = take(bucket, new Date(now), granted);
      if (taken.ok) bucket = taken.bucket;
    }
    await this.ctx.storage.put(key, bucket);
    if (granted >= wanted) return { granted, retryAt: null };
    const refused = take(bucket, new Date(now), 1);
    return { granted, retryAt: refused.ok ? now : refused.retryAt.getTime() };
  }
}

function sameLimits(bucket: TokenBucket, limits: BucketLimits): boolean {
  return bucket.capacity === limits.capacity && bucket.refillPerSecond === limits.refillPerSecond;
}
