import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { signTwilioRequest } from "../../../sandbox/twilio/signature";
import { verifyTwilioSignature } from "./signature";
import { connectStreamTwiml, createTwilioTelephony } from "./telephony";

/** The worked example in Twilio's guide: https://www.twilio.com/docs/usage/webhooks/webhooks-security */
const GUIDE = {
  authToken: "12345",
  url: "https://mycompany.com/myapp.php?foo=1&bar=2",
  params: { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" },
  signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
};
/** Twilio's helper-library tests (twilio-python, tests/unit/test_request_validator.py): same URL and token. */
const LIBRARY = {
  params: { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" },
  signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
  repeated: new URLSearchParams("Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234"),
  repeatedSignature: "IK+Dwps556ElfBT0I3Rgjkr1wJU=",
  body: '{"property": "value", "boolean": true}',
  bodyHash: "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
  bodySignature: "a9nBmqA0ju/hNViExpshrM61xv4=",
};

const verify = (overrides: Partial<Parameters<typeof verifyTwilioSignature>[0]>) => verifyTwilioSignature({ ...GUIDE, ...overrides });

describe("Twilio's request signatures", () => {
  it("accepts the example in Twilio's webhook-security guide, fields in any order", async () => {
    expect(await verify({})).toBe(true);
    const shuffled = new URLSearchParams(Object.entries(GUIDE.params).reverse());
    expect(await verify({ params: shuffled })).toBe(true);
  });

  it("matches Twilio's helper-library vectors: form fields, a repeated field, and a JSON body signed through bodySHA256", async () => {
    expect(await verify({ params: LIBRARY.params, signature: LIBRARY.signature })).toBe(true);
    expect(await verify({ params: LIBRARY.repeated, signature: LIBRARY.repeatedSignature })).toBe(true);
    expect(await verify({ params: { Sid: "CA123", SidAccount: "AC123", Digits: ["5678", "1234"] }, signature: LIBRARY.repeatedSignature })).toBe(true);
    const url = `${GUIDE.url}&bodySHA256=${LIBRARY.bodyHash}`;
    expect(await verify({ url, params: undefined, rawBody: LIBRARY.body, signature: LIBRARY.bodySignature })).toBe(true);
  });

  it("accepts the URL with its default port written out or a port dropped, as Twilio's libraries do", async () => {
    const base = { params: LIBRARY.params };
    // Signed over https://mycompany.com:443/…, received as https://mycompany.com/…
    expect(await verify({ ...base, signature: "kvajT1Ptam85bY51eRf/AJRuM3w=" })).toBe(true);
    // Signed over http://mycompany.com:80/…
    expect(await verify({ ...base, url: GUIDE.url.replace("https", "http"), signature: "0ZXoZLH/DfblKGATFgpif+LLRf4=" })).toBe(true);
    // Signed without the port, received with one; and signed with a custom port, received with it.
    expect(await verify({ ...base, url: GUIDE.url.replace(".com", ".com:1234"), signature: LIBRARY.signature })).toBe(true);
    expect(await verify({ ...base, url: GUIDE.url.replace(".com", ".com:1234").replace("https", "http"), signature: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=" })).toBe(true);
    // Another host or path is another URL.
    expect(await verify({ ...base, url: GUIDE.url.replace("mycompany", "evil"), signature: LIBRARY.signature })).toBe(false);
  });

  it("refuses a changed field, an extra or missing field, another URL or token, and a missing or garbled header", async () => {
    expect(await verify({ params: { ...GUIDE.params, Digits: "9999" } })).toBe(false);
    expect(await verify({ params: { ...GUIDE.params, Extra: "" } })).toBe(false);
    const { To: _dropped, ...withoutTo } = GUIDE.params;
    expect(await verify({ params: withoutTo })).toBe(false);
    expect(await verify({ url: GUIDE.url.replace("bar=2", "bar=3") })).toBe(false);
    expect(await verify({ url: GUIDE.url.replace("https", "http") })).toBe(false);
    expect(await verify({ authToken: "54321" })).toBe(false);
    expect(await verify({ authToken: "" })).toBe(false);
    for (const signature of [undefined, null, "", "not base64!", GUIDE.signature.slice(0, -2), GUIDE.signature.replace("0", "1"), btoa("x".repeat(32))]) {
      expect(await verify({ signature })).toBe(false);
    }
    expect(await verify({ url: "not a url" })).toBe(false);
  });

  it("refuses a JSON body that was changed, or a body hash that is missing", async () => {
    const url = `${GUIDE.url}&bodySHA256=${LIBRARY.bodyHash}`;
    const base = { url, params: undefined, signature: LIBRARY.bodySignature };
    expect(await verify({ ...base, rawBody: LIBRARY.body.replace("value", "other") })).toBe(false);
    expect(await verify({ ...base, rawBody: undefined })).toBe(false);
    // The hash is part of the signed URL: a new hash for a new body does not carry the old signature.
    const otherBody = '{"property": "other"}';
    const otherHash = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(otherBody)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(await verify({ ...base, url: url.replace(LIBRARY.bodyHash, otherHash), rawBody: otherBody })).toBe(false);
  });

  it("accepts whatever the sandbox's independent signer signs, and nothing once a field changes", async () => {
    const field = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 24 }));
    // Lighter than fc.webUrl (which takes ~10 ms a URL in workerd), and always a URL Twilio could call.
    const url = fc
      .record({
        scheme: fc.constantFrom("https", "http", "wss"),
        host: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}\.example$/),
        port: fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
        path: fc.array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/), { maxLength: 3 }),
        query: fc.array(field, { maxLength: 3 }),
      })
      .map(({ scheme, host, port, path, query }) => `${scheme}://${host}${port === undefined ? "" : `:${port}`}/${path.join("/")}${query.length ? `?${new URLSearchParams(query)}` : ""}`);
    await fc.assert(
      fc.asyncProperty(url, fc.array(field, { maxLength: 8 }), fc.string({ minLength: 1, maxLength: 40 }), async (url, pairs, token) => {
        const params = new URLSearchParams(pairs);
        const signature = signTwilioRequest(token, url, params);
        expect(await verifyTwilioSignature({ authToken: token, url, params, signature })).toBe(true);
        const changed = new URLSearchParams(params);
        changed.append("Tampered", "1");
        expect(await verifyTwilioSignature({ authToken: token, url, params: changed, signature })).toBe(false);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it("verifies a media-socket handshake over the wss:// URL Twilio connected to, not the https:// one workerd shows", async () => {
    const url = "wss://noir.example/api/voice/media/call_01j9z6k3n4p5q6r7s8t9v0w1x2";
    const signature = signTwilioRequest(GUIDE.authToken, url);
    expect(await verifyTwilioSignature({ authToken: GUIDE.authToken, url, signature })).toBe(true);
    expect(await verifyTwilioSignature({ authToken: GUIDE.authToken, url: url.replace("wss:", "https:"), signature })).toBe(false);
  });
});

describe("the callbacks of a call placed through Twilio", () => {
  const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL } = z
    .object({ TWILIO_ACCOUNT_SID: z.string(), TWILIO_AUTH_TOKEN: z.string(), TWILIO_API_BASE_URL: z.url() })
    .parse(env);
  const Deliveries = z.object({ data: z.array(z.object({ kind: z.string(), url: z.string(), method: z.string(), params: z.record(z.string(), z.string()), signature: z.string() })) });

  it("verify with the account's Auth Token, and fail with any other", async () => {
    const telephony = createTwilioTelephony({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN, baseUrl: TWILIO_API_BASE_URL });
    // The busy persona: `initiated` then `busy`, no answer, no socket.
    const { providerCallId } = await telephony.placeCall({
      from: "+14155550001",
      to: "+16465550105",
      twiml: connectStreamTwiml({ streamUrl: "wss://noir.example/api/voice/media/call_1" }),
      statusCallbackUrl: "http://127.0.0.1:9/api/webhook/twilio/status?callId=call_1",
      amdCallbackUrl: "http://127.0.0.1:9/api/webhook/twilio/amd?callId=call_1",
      timeoutSeconds: 20,
    });
    await fetch(`${TWILIO_API_BASE_URL}/sandbox/calls/${providerCallId}?wait=ended`);
    const { data } = Deliveries.parse(await (await fetch(`${TWILIO_API_BASE_URL}/sandbox/deliveries?callSid=${providerCallId}&wait`)).json());
    expect(data.map((d) => [d.kind, d.params.CallStatus])).toEqual([
      ["status", "initiated"],
      ["status", "busy"],
    ]);
    for (const delivery of data) {
      const received = { url: delivery.url, params: new URLSearchParams(delivery.params), signature: delivery.signature };
      expect(await verifyTwilioSignature({ authToken: TWILIO_AUTH_TOKEN, ...received })).toBe(true);
      expect(await verifyTwilioSignature({ authToken: `${TWILIO_AUTH_TOKEN}x`, ...received })).toBe(false);
    }
  });
});
