import { take, type TokenBucket } from "./token-bucket";

export type BucketSet = Readonly<Record<string, TokenBucket>>;

export type TakeAllResult = { ok: true; buckets: Record<string, TokenBucket> } | { ok: false; buckets: BucketSet; retryAt: Date };

/**
 * Takes from every bucket named in `keys` (say the org's, the sender domain's and the Telegram
 * account's) or from none. A send needs all of its limits at once: taking from the org's bucket
 * for a send the account's bucket then refuses would waste the org's budget. When refused, the
 * buckets are returned as given and `retryAt` is the latest of the refusing buckets' retry times,
 * the earliest instant at which every one of them could say yes.
 */
export function takeAll(buckets: BucketSet, keys: readonly string[], now: Date, tokens = 1): TakeAllResult {
  const taken: Record<string, TokenBucket> = {};
  let retryAtMs: number | null = null;
  for (const key of new Set(keys)) {
    const bucket = buckets[key];
    if (bucket === undefined) throw new RangeError(`no bucket "${key}": create it with createBucket first`);
    const result = take(bucket, now, tokens);
    if (result.ok) taken[key] = result.bucket;
    else retryAtMs = Math.max(retryAtMs ?? 0, result.retryAt.getTime());
  }
  if (retryAtMs !== null) return { ok: false, buckets, retryAt: new Date(retryAtMs) };
  return { ok: true, buckets: { ...buckets, ...taken } };
}
