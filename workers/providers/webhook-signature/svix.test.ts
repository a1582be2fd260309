import fc from "fast-check";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySvixSignature } from "./svix";

// The Standard Webhooks / Svix published test vector.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const SECRET = "whsec_c2FuZGJveC1yZXNlbmQtd2ViaG9vay1zZWNyZXQ=";
const NOW = new Date(1_767_225_600_000); // 2026-01-01T00:00:00Z

/** Signs with node:crypto, an implementation independent of the verifier's Web Crypto. */
function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

function delivery(body = '{"type":"email.delivered","data":{"email_id":"e1"}}', at = NOW, secret = SECRET) {
  const timestamp = Math.floor(at.getTime() / 1000);
  const headers = { "svix-id": "msg_2abc", "svix-timestamp": String(timestamp), "svix-signature": sign(secret, "msg_2abc", timestamp, body) };
  return { headers, rawBody: body };
}

describe("Svix webhook signatures", () => {
  it("accepts the specification's published test vector", async () => {
    const result = await verifySvixSignature({
      secret: VECTOR.secret,
      headers: new Headers({ "svix-id": VECTOR.id, "svix-timestamp": String(VECTOR.timestamp), "svix-signature": VECTOR.signature }),
      rawBody: VECTOR.body,
      now: new Date(VECTOR.timestamp * 1000),
    });
    expect(result).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp });
  });

  it("accepts a delivery signed by an independent implementation, headers in any case", async () => {
    const { headers, rawBody } = delivery();
    const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await verifySvixSignature({ secret: SECRET, headers: shouting, rawBody, now: NOW })).toMatchObject({ ok: true, id: "msg_2abc" });
  });

  it("refuses a delivery with a header missing", async () => {
    const { headers, rawBody } = delivery();
    for (const name of Object.keys(headers)) {
      const without = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
      expect(await verifySvixSignature({ secret: SECRET, headers: without, rawBody, now: NOW })).toEqual({ ok: false, reason: "missing_headers" });
    }
  });

  it("refuses a delivery signed with another secret, or whose body was changed", async () => {
    const { headers, rawBody } = delivery();
    const otherSecret = "whsec_b3RoZXItc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZXM=";
    expect(await verifySvixSignature({ secret: otherSecret, headers, rawBody, now: NOW })).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(await verifySvixSignature({ secret: SECRET, headers, rawBody: rawBody.replace("e1", "e2"), now: NOW })).toEqual({
      ok: false,
      reason: "no_matching_signature",
    });
  });

  it("refuses a delivery older or newer than the tolerance, and honours a custom one", async () => {
    const { headers, rawBody } = delivery();
    const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    expect((await verifySvixSignature({ secret: SECRET, headers, rawBody, now: later(300) })).ok).toBe(true);
    expect(await verifySvixSignature({ secret: SECRET, headers, rawBody, now: later(301) })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(await verifySvixSignature({ secret: SECRET, headers, rawBody, now: later(-301) })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect((await verifySvixSignature({ secret: SECRET, headers, rawBody, now: later(3_000), toleranceSeconds: 3_600 })).ok).toBe(true);
  });

  it("accepts any one valid signature among several (key rotation), but only version v1", async () => {
    const { headers, rawBody } = delivery();
    const valid = headers["svix-signature"];
    const rotated = { ...headers, "svix-signature": `v1,bm90LXRoaXMtb25l v1a,${valid.slice(3)} ${valid}` };
    expect((await verifySvixSignature({ secret: SECRET, headers: rotated, rawBody, now: NOW })).ok).toBe(true);
    const wrongVersion = { ...headers, "svix-signature": `v2,${valid.slice(3)}` };
    expect((await verifySvixSignature({ secret: SECRET, headers: wrongVersion, rawBody, now: NOW })).ok).toBe(false);
  });

  it("verifies a replayed delivery again: skipping repeats by svix-id is the route's job", async () => {
    const { headers, rawBody } = delivery();
    const first = await verifySvixSignature({ secret: SECRET, headers, rawBody, now: NOW });
    const replay = await verifySvixSignature({ secret: SECRET, headers, rawBody, now: new Date(NOW.getTime() + 60_000) });
    expect(first).toEqual(replay);
    expect(replay).toMatchObject({ ok: true, id: "msg_2abc" });
  });

  it("refuses a malformed secret or timestamp instead of throwing", async () => {
    const { headers, rawBody } = delivery();
    expect(await verifySvixSignature({ secret: "whsec_not base64!", headers, rawBody, now: NOW })).toEqual({ ok: false, reason: "invalid_secret" });
    const badTime = { ...headers, "svix-timestamp": "1.7e9" };
    expect(await verifySvixSignature({ secret: SECRET, headers: badTime, rawBody, now: NOW })).toEqual({ ok: false, reason: "invalid_timestamp" });
  });

  it("never throws on arbitrary headers and bodies, and never accepts them", async () => {
    const header = fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/));
    const timestamp = fc.oneof(fc.string({ maxLength: 14 }), fc.constant(String(Math.floor(NOW.getTime() / 1000))));
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), timestamp, header, fc.string({ maxLength: 200 }), async (id, ts, signature, body) => {
        const result = await verifySvixSignature({
          secret: SECRET,
          headers: { "svix-id": id, "svix-timestamp": ts, "svix-signature": signature },
          rawBody: body,
          now: NOW,
        });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a genuine signature once anything it covers changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 5 }), async (body, extra) => {
        const { headers, rawBody } = delivery(body);
        expect((await verifySvixSignature({ secret: SECRET, headers, rawBody, now: NOW })).ok).toBe(true);
        const tampered = await verifySvixSignature({ secret: SECRET, headers, rawBody: rawBody + extra, now: NOW });
        const otherId = await verifySvixSignature({ secret: SECRET, headers: { ...headers, "svix-id": `${headers["svix-id"]}${extra}` }, rawBody, now: NOW });
        expect([tampered.ok, otherId.ok]).toEqual([false, false]);
      }),
      { numRuns: 100 },
    );
  });
});
