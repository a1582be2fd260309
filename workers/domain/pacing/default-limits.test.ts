import { describe, expect, it } from "vitest";
import { createBucket, DEFAULT_RATE_LIMITS, take, type BucketLimits } from "./index";

const T0 = Date.parse("2025-06-10T12:00:00.000Z");

/** Send times of a sender that asks every `everyMs` for `forMs`, taking whatever the bucket allows. */
function greedySends(limits: BucketLimits, everyMs: number, forMs: number): number[] {
  let bucket = createBucket(limits);
  const sent: number[] = [];
  for (let t = T0; t < T0 + forMs; t += everyMs) {
    const result = take(bucket, new Date(t));
    bucket = result.bucket;
    if (result.ok) sent.push(t);
  }
  return sent;
}

describe("the default provider limits", () => {
  it("never sends Resend three requests within one second (its limit is 2 per second per team)", () => {
    const sent = greedySends(DEFAULT_RATE_LIMITS.email, 7, 10_000);
    expect(sent.length).toBeGreaterThanOrEqual(19);
    for (let i = 2; i < sent.length; i++) expect(sent[i]! - sent[i - 2]!).toBeGreaterThanOrEqual(1000);
  });

  it("starts at most one Twilio call a second (an account's default CPS)", () => {
    const sent = greedySends(DEFAULT_RATE_LIMITS.voice, 10, 10_000);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it("keeps two DMs from one Telegram account at least 30 s apart", () => {
    const sent = greedySends(DEFAULT_RATE_LIMITS.telegram, 1000, 10 * 60_000);
    expect(sent.length).toBe(20);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(30_000);
  });

  it("allows five live calls per org", () => {
    expect(DEFAULT_RATE_LIMITS.concurrentCallsPerOrg).toBe(5);
  });
});
