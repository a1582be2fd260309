import { createHmac, timingSafeEqual } from "node:crypto";

/** A form body as Twilio signs it: name → value, or name → values when a name repeats. */
export type TwilioParams = Record<string, string | readonly string[]> | URLSearchParams | readonly (readonly [string, string])[];

/**
 * `X-Twilio-Signature`, written with node:crypto so the Worker's Web Crypto verifier is checked
 * against an independent implementation (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
 * take the full URL Twilio requested (scheme, host, port, path and query, exactly as configured),
 * append every POST parameter sorted by name as `name` + `value` with no separators (a repeated
 * name contributes each of its values, sorted), HMAC-SHA1 the string keyed with the account's Auth
 * Token, base64. A GET request, and a WebSocket handshake, sign the URL alone.
 */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const [name, value] of sortedPairs(params)) data += name + value;
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** Constant-time check of a received `X-Twilio-Signature`. */
export function validateTwilioRequest(authToken: string, signature: string | null | undefined, url: string, params: TwilioParams = {}): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signTwilioRequest(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sortedPairs(params: TwilioParams): [string, string][] {
  const pairs: [string, string][] = [];
  if (params instanceof URLSearchParams) {
    for (const [name, value] of params) pairs.push([name, value]);
  } else if (Array.isArray(params)) {
    for (const [name, value] of params as readonly (readonly [string, string])[]) pairs.push([name, value]);
  } else {
    for (const [name, value] of Object.entries(params as Record<string, string | readonly string[]>)) {
      if (typeof value === "string") pairs.push([name, value]);
      else for (const one of value) pairs.push([name, one]);
    }
  }
  // Byte order, as Twilio's libraries sort: by name, then by value within a repeated name.
  return pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
}
