import { DurableObject } from "cloudflare:workers";
import type { Channel } from "../../drizzle/schema/enums";
import { createBucket, freshFairState, grantFairly, reserveSlot, sameLimits, type FairGrantState, type TokenBucket } from "../../workers/domain/pacing";
import type { Env } from "../../workers/env";
import { channelLimits } from "./channel-limits";

export interface Grant {
  granted: number;
  /** When the next token is due, if not all were granted. */
  retryAt: number | null;
}

/** Who is asking: the org (for its fair share) and, when it has its own pace, the sender. */
export interface GrantScope {
  orgId: string;
  /** A sender's own limit, e.g. a new sending domain warming up at 50 emails an hour. */
  sender?: { key: string; perHour: number };
}

export type Slot = { ok: true; at: number } | { ok: false; retryAt: number };

/**
 * The platform's provider accounts are shared by every org and campaign (Resend allows 2 requests
 * a second per team, Twilio 1 call a second per account), so their budgets live in one place:
 * this object, named "providers". Campaign runners ask it for tokens a page of leads at a time,
 * split fairly between the orgs waiting; the email channel asks it for an exact send instant.
 */
export class ProviderPacer extends DurableObject<Env> {
  /** Grants up to `wanted` sends on the channel now; the rest must wait until `retryAt`. */
  async grant(channel: Channel, wanted: number, now: number, scope: GrantScope): Promise<Grant> {
    const limits = channelLimits(this.env.EMAIL_SENDS_PER_SECOND)[channel];
    const key = `fair:${channel}`;
    const state = (await this.ctx.storage.get<FairGrantState>(key)) ?? freshFairState(limits);
    const senderKey = scope.sender ? `sender:${channel}:${scope.sender.key}` : null;
    const senderLimits = scope.sender ? { capacity: 1, refillPerSecond: scope.sender.perHour / 3600 } : null;
    const storedSender = senderKey ? await this.ctx.storage.get<TokenBucket>(senderKey) : undefined;
    // A changed limit (a raised quota, a sender's new hourly pace) starts a fresh bucket.
    const sender = senderLimits ? (storedSender && sameLimits(storedSender, senderLimits) ? storedSender : createBucket(senderLimits)) : undefined;

    const result = grantFairly(state, { orgId: scope.orgId, wanted, nowMs: now, ...(sender ? { sender } : {}) }, limits);
    await this.ctx.storage.put(key, result.state);
    if (senderKey && result.sender) await this.ctx.storage.put(senderKey, result.sender);
    return { granted: result.granted, retryAt: result.retryAt };
  }

  /**
   * The instant at which this send may reach the provider, spaced from every other send on the
   * channel's account, or a refusal when that instant is more than `maxWaitMs` away.
   */
  async reserveSlot(channel: Channel, now: number, maxWaitMs: number): Promise<Slot> {
    const limits = channelLimits(this.env.EMAIL_SENDS_PER_SECOND)[channel];
    const key = `slot:${channel}`;
    const decision = reserveSlot((await this.ctx.storage.get<number>(key)) ?? 0, now, 1000 / limits.refillPerSecond, maxWaitMs);
    if (!decision.ok) return decision;
    await this.ctx.storage.put(key, decision.nextFreeMs);
    return { ok: true, at: decision.at };
  }
}
