import { describe, expect, it } from "vitest";
import { createBucket, take, type TokenBucket } from "./index";

const T0 = Date.parse("2025-06-10T12:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms);

/** Takes until refused, returning the bucket and how many were taken (giving up at 1,000). */
function drain(bucket: TokenBucket, now: Date): { bucket: TokenBucket; taken: number } {
  let current = bucket;
  for (let taken = 0; taken < 1000; taken++) {
    const result = take(current, now);
    if (!result.ok) return { bucket: result.bucket, taken };
    current = result.bucket;
  }
  throw new Error("the bucket never ran dry");
}

describe("a token bucket", () => {
  it("starts full: a burst of `capacity` goes through, the next waits one refill", () => {
    const { bucket, taken } = drain(createBucket({ capacity: 3, refillPerSecond: 2 }), at(0));
    expect(taken).toBe(3);
    expect(take(bucket, at(0))).toMatchObject({ ok: false, retryAt: at(500) });
  });

  it("refills over time and says when a take will succeed", () => {
    let bucket = drain(createBucket({ capacity: 2, refillPerSecond: 2 }), at(0)).bucket;
    const early = take(bucket, at(250));
    expect(early).toMatchObject({ ok: false, retryAt: at(500) });
    bucket = early.bucket;
    const onTime = take(bucket, at(500));
    expect(onTime.ok).toBe(true);
    expect(drain(onTime.bucket, at(1500)).taken).toBe(2);
  });

  it("succeeds exactly at the retryAt it promised, for awkward rates too", () => {
    for (const refillPerSecond of [1 / 30, 1 / 3, 0.7, 2, 7]) {
      let bucket = createBucket({ capacity: 1, refillPerSecond });
      for (let i = 0, now = at(0); i < 20; i++) {
        const first = take(bucket, now);
        if (first.ok) {
          bucket = first.bucket;
          continue;
        }
        const retry = take(first.bucket, first.retryAt);
        expect(retry.ok, `rate ${refillPerSecond}, attempt ${i}`).toBe(true);
        expect(take(first.bucket, new Date(first.retryAt.getTime() - 1)).ok).toBe(false);
        bucket = retry.bucket;
        now = first.retryAt;
      }
    }
  });

  it("keeps its promise when float rounding lands a hair short (1/30 s, asked again after 9 ms)", () => {
    const sent = take(createBucket({ capacity: 1, refillPerSecond: 1 / 30 }), at(0));
    const early = take(sent.bucket, at(9));
    expect(early).toMatchObject({ ok: false, retryAt: at(30_000) });
    expect(take(early.bucket, at(30_000)).ok).toBe(true);
  });

  it("never holds more than its capacity, however long it sat idle", () => {
    const bucket = drain(createBucket({ capacity: 3, refillPerSecond: 1 }), at(0)).bucket;
    expect(drain(bucket, at(24 * 60 * 60 * 1000)).taken).toBe(3);
  });

  it("takes several tokens at once, or none", () => {
    const bucket = createBucket({ capacity: 5, refillPerSecond: 1 });
    const four = take(bucket, at(0), 4);
    expect(four).toMatchObject({ ok: true, bucket: { tokens: 1 } });
    expect(take(four.bucket, at(0), 3)).toMatchObject({ ok: false, retryAt: at(2000), bucket: { tokens: 1 } });
    expect(() => take(bucket, at(0), 6)).toThrow(RangeError);
  });

  it("never changes the bucket it was given", () => {
    const bucket = Object.freeze(createBucket({ capacity: 2, refillPerSecond: 1 }));
    const copy = structuredClone(bucket);
    take(bucket, at(0));
    take(bucket, at(0), 2);
    expect(bucket).toEqual(copy);
  });

  it("survives a round trip through JSON, as Durable Object storage does", () => {
    let live = createBucket({ capacity: 2, refillPerSecond: 1 / 3 });
    let stored: TokenBucket = JSON.parse(JSON.stringify(live));
    for (let second = 0; second < 30; second++) {
      const a = take(live, at(second * 1000));
      const b = take(stored, at(second * 1000));
      expect(b).toEqual(a);
      live = a.bucket;
      stored = JSON.parse(JSON.stringify(b.bucket));
    }
  });

  it("mints no tokens when the clock steps back", () => {
    const bucket = drain(createBucket({ capacity: 1, refillPerSecond: 1 }), at(10_000)).bucket;
    const earlier = take(bucket, at(0));
    expect(earlier).toMatchObject({ ok: false, retryAt: at(11_000) });
    expect(earlier.bucket.updatedAtMs).toBe(T0 + 10_000);
  });

  it("refuses limits that would never let anything through", () => {
    expect(() => createBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => createBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
    expect(() => createBucket({ capacity: Number.NaN, refillPerSecond: 1 })).toThrow(RangeError);
  });
});
