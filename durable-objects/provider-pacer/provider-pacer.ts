import { DurableObject } from "cloudflare:workers";
import type { Channel } from "../../drizzle/schema/enums";
import { admitSend, createBucket, freshFairState, grantFairly, PACING_MARGIN, sameLimits, takeAccountTurns, type AccountSlot, type FairGrantState, type TokenBucket } from "../../workers/domain/pacing";
import type { Env } from "../../workers/env";
import { channelLimits, telegramGap } from "./channel-limits";

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

export type Admission = { ok: true } | { ok: false; retryAt: number };

export interface TelegramGrant {
  /** The account each granted send goes out from, one per send. */
  accounts: string[];
  /** When to ask again for the rest: the next account's turn, or the next UTC day. */
  retryAt: number | null;
}

/**
 * The platform's provider accounts are shared by every org and campaign (Resend allows 2 requests
 * a second per team, Twilio 1 call a second per account), so their budgets live in one place:
 * this object, named "providers". Campaign runners ask it for tokens a page of leads at a time,
 * split fairly between the orgs waiting; each email asks it once more, just before it goes out.
 */
export class ProviderPacer extends DurableObject<Env> {
  /** Grants up to `wanted` sends on the channel now; the rest must wait until `retryAt`. */
  async grant(channel: Channel, wanted: number, now: number, scope: GrantScope): Promise<Grant> {
    const limits = channelLimits(this.env)[channel];
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
   * Asked just before a request goes to the provider: yes if fewer than the account's per-second
   * limit went in the last second (paced 10% long) and, when the sending domain has its own pace,
   * its last email went at least one interval ago; else when to ask again. The sender's pace is
   * held here as well as at `grant` because the queue may deliver two granted sends together.
   */
  async admit(channel: Channel, senderKey?: string): Promise<Admission> {
    const limits = channelLimits(this.env)[channel];
    const senderPace = senderKey ? await this.ctx.storage.get<TokenBucket>(`sender:${channel}:${senderKey}`) : undefined;
    const senderLastKey = `sender-last:${channel}:${senderKey}`;
    const now = Date.now();
    if (senderPace) {
      const last = await this.ctx.storage.get<number>(senderLastKey);
      const gapMs = 1000 / senderPace.refillPerSecond;
      if (last !== undefined && now - last < gapMs) return { ok: false, retryAt: Math.ceil(last + gapMs) };
    }
    const key = `window:${channel}`;
    // Limits are paced as `rate / (1 + margin)`: the window stretches by the same margin.
    const perWindow = Math.max(1, Math.round(limits.refillPerSecond * (1 + PACING_MARGIN)));
    const windowMs = 1000 * (1 + PACING_MARGIN);
    const decision = admitSend((await this.ctx.storage.get<number[]>(key)) ?? [], now, perWindow, windowMs);
    if (!decision.ok) return decision;
    await this.ctx.storage.put(key, decision.recent);
    if (senderPace) await this.ctx.storage.put(senderLastKey, now);
    return { ok: true };
  }

  /**
   * Turns on the org's Telegram accounts: each account waits a random human gap after every DM and
   * stays within today's allowance. Kept here, not in a campaign's runner, because every campaign
   * of the org draws on the same accounts.
   */
  async grantTelegram(wanted: number, now: number, accounts: AccountSlot[]): Promise<TelegramGrant> {
    const keys = accounts.map((a) => `tg:${a.id}`);
    const stored = keys.length > 0 ? await this.ctx.storage.get<number>(keys) : new Map<string, number>();
    const nextAt = Object.fromEntries(accounts.map((a) => [a.id, stored.get(`tg:${a.id}`)]));
    const turns = takeAccountTurns({ wanted, now, accounts, nextAt, gap: telegramGap(this.env), rng: Math.random });
    if (turns.assignments.length > 0) await this.ctx.storage.put(Object.fromEntries(Object.entries(turns.nextAt).map(([id, at]) => [`tg:${id}`, at])));
    const tomorrow = (Math.floor(now / 86_400_000) + 1) * 86_400_000;
    const retryAt = turns.assignments.length >= wanted ? null : (turns.retryAt ?? (accounts.length > 0 ? tomorrow : null));
    return { accounts: turns.assignments, retryAt };
  }
}
