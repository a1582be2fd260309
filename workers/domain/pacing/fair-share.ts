import { createBucket, refill, take, type BucketLimits, type TokenBucket } from "./token-bucket";

/** An org that was refused tokens this recently still counts as waiting for its share. */
export const BACKLOG_WINDOW_MS = 5_000;

export interface FairGrantState {
  /** The provider account's bucket, shared by every org. */
  account: TokenBucket;
  /** Each org's share of the account, keyed by org id. */
  shares: Record<string, TokenBucket>;
  /** Orgs refused lately, with when: they split the account's rate with the asker. */
  backlog: Record<string, number>;
}

export interface FairGrantRequest {
  orgId: string;
  wanted: number;
  nowMs: number;
  /** The sender's own bucket (say, a new domain warming up at 50 an hour), when it has one. */
  sender?: TokenBucket;
}

export interface FairGrant {
  granted: number;
  /** When the next token could be granted, if not all were. */
  retryAt: number | null;
  state: FairGrantState;
  sender?: TokenBucket;
}

/**
 * Grants sends from a provider account several orgs share, so one org's 100,000-lead campaign
 * cannot starve another's ten leads: while k orgs are waiting, each org's share refills at 1/k of
 * the account's rate. An org alone gets the whole rate; a share nobody waits for is not reserved.
 */
export function grantFairly(state: FairGrantState, request: FairGrantRequest, limits: BucketLimits): FairGrant {
  const { orgId, wanted, nowMs } = request;
  const backlog = Object.fromEntries(Object.entries(state.backlog).filter(([org, at]) => org !== orgId && nowMs - at <= BACKLOG_WINDOW_MS));
  const shareLimits = { capacity: limits.capacity, refillPerSecond: limits.refillPerSecond / (Object.keys(backlog).length + 1) };
  const account = refill(sameLimits(state.account, limits) ? state.account : createBucket(limits), nowMs);
  const previous = state.shares[orgId];
  // Refill at the old rate up to now, then carry on at today's share.
  const share = previous ? { ...refill(previous, nowMs), ...shareLimits } : createBucket(shareLimits);
  const sender = request.sender ? refill(request.sender, nowMs) : undefined;

  const buckets = [account, share, ...(sender ? [sender] : [])];
  const granted = Math.max(0, Math.min(wanted, ...buckets.map((b) => Math.floor(b.tokens + 1e-9))));
  const [nextAccount, nextShare, nextSender] = buckets.map((b) => (granted > 0 ? takeOrKeep(b, nowMs, granted) : b)) as [TokenBucket, TokenBucket, TokenBucket | undefined];

  let retryAt: number | null = null;
  if (granted < wanted) {
    backlog[orgId] = nowMs;
    retryAt = Math.max(...[nextAccount, nextShare, ...(nextSender ? [nextSender] : [])].map((b) => nextTokenAt(b, nowMs)));
  }
  return {
    granted,
    retryAt,
    state: { account: nextAccount, shares: { ...state.shares, [orgId]: nextShare }, backlog },
    ...(nextSender ? { sender: nextSender } : {}),
  };
}

/** An account bucket no org has touched yet. */
export function freshFairState(limits: BucketLimits): FairGrantState {
  return { account: createBucket(limits), shares: {}, backlog: {} };
}

function takeOrKeep(bucket: TokenBucket, nowMs: number, tokens: number): TokenBucket {
  const result = take(bucket, new Date(nowMs), tokens);
  return result.ok ? result.bucket : bucket;
}

function nextTokenAt(bucket: TokenBucket, nowMs: number): number {
  const result = take(bucket, new Date(nowMs), 1);
  return result.ok ? nowMs : result.retryAt.getTime();
}

export function sameLimits(bucket: TokenBucket, limits: BucketLimits): boolean {
  return bucket.capacity === limits.capacity && bucket.refillPerSecond === limits.refillPerSecond;
}
