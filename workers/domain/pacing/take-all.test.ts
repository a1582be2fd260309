import { describe, expect, it } from "vitest";
import { createBucket, take, takeAll, type BucketSet } from "./index";

const T0 = Date.parse("2025-06-10T12:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms);

/** An org bucket with room, a sender bucket with room, and a Telegram account that just sent. */
function buckets(): BucketSet {
  const account = take(createBucket({ capacity: 1, refillPerSecond: 1 / 30 }), at(0));
  if (!account.ok) throw new Error("a fresh bucket must allow one take");
  return {
    "org:1": createBucket({ capacity: 5, refillPerSecond: 1 }),
    "sender:example.com": createBucket({ capacity: 1, refillPerSecond: 1 / 10 }),
    "telegram:42": account.bucket,
    "org:2": createBucket({ capacity: 5, refillPerSecond: 1 }),
  };
}

describe("taking from several buckets at once", () => {
  it("takes one token from each named bucket when all have one", () => {
    const result = takeAll(buckets(), ["org:1", "sender:example.com"], at(0));
    if (!result.ok) throw new Error("expected ok");
    expect(result.buckets["org:1"]?.tokens).toBe(4);
    expect(result.buckets["sender:example.com"]?.tokens).toBe(0);
    expect(result.buckets["org:2"]).toEqual(buckets()["org:2"]);
    expect(result.buckets["telegram:42"]).toEqual(buckets()["telegram:42"]);
  });

  it("takes nothing from any bucket when one of them refuses", () => {
    const before = buckets();
    const result = takeAll(before, ["org:1", "sender:example.com", "telegram:42"], at(1000));
    expect(result).toEqual({ ok: false, buckets: before, retryAt: at(30_000) });
    expect(result.buckets).toBe(before);
  });

  it("names the latest retry time when several refuse, when all of them will say yes", () => {
    const first = takeAll(buckets(), ["org:1", "sender:example.com"], at(0));
    if (!first.ok) throw new Error("expected ok");
    // sender frees at 10 s, the account at 30 s: only at 30 s can both go.
    const refused = takeAll(first.buckets, ["sender:example.com", "telegram:42", "org:1"], at(1000));
    expect(refused).toMatchObject({ ok: false, retryAt: at(30_000) });
    if (refused.ok) return;
    expect(takeAll(refused.buckets, ["sender:example.com", "telegram:42", "org:1"], at(29_999)).ok).toBe(false);
    expect(takeAll(refused.buckets, ["sender:example.com", "telegram:42", "org:1"], refused.retryAt).ok).toBe(true);
  });

  it("takes once from a bucket named twice", () => {
    const result = takeAll(buckets(), ["org:1", "org:1"], at(0));
    expect(result.ok && result.buckets["org:1"]?.tokens).toBe(4);
  });

  it("refuses a key it has no bucket for, rather than sending unmetered", () => {
    expect(() => takeAll(buckets(), ["org:1", "org:3"], at(0))).toThrow(RangeError);
  });
});
