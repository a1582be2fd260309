import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Requests between the Worker and the pool, both directions, carry
 *   x-noir-timestamp: unix seconds
 *   x-noir-signature: hex HMAC-SHA256(secret, `${timestamp}.${METHOD}.${path}.${rawBody}`)
 * where path includes the query string and rawBody is "" for GET and DELETE. A signature more
 * than five minutes from now is refused, so a captured request cannot be replayed later.
 */
export const TIMESTAMP_HEADER = "x-noir-timestamp";
export const SIGNATURE_HEADER = "x-noir-signature";
export const MAX_SKEW_SECONDS = 300;

export interface SignedParts {
  timestamp: number | string;
  method: string;
  /** Path plus query string, as sent: "/api/accounts?x=1". */
  path: string;
  body: string;
}

export function signPoolRequest(secret: string, { timestamp, method, path, body }: SignedParts): string {
  return createHmac("sha256", secret).update(`${timestamp}.${method.toUpperCase()}.${path}.${body}`).digest("hex");
}

/** GET and DELETE sign an empty body whatever arrives. */
export function signedBody(method: string, body: string): string {
  const upper = method.toUpperCase();
  return upper === "GET" || upper === "DELETE" || upper === "HEAD" ? "" : body;
}

/** The two headers for a request made now. */
export function poolRequestHeaders(secret: string, request: Omit<SignedParts, "timestamp">, nowMs = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signPoolRequest(secret, { ...request, timestamp, body: signedBody(request.method, request.body) }),
  };
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifyPoolRequest(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  request: Omit<SignedParts, "timestamp">,
  nowMs = Date.now(),
): Verdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: `The ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers are required.` };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: `${TIMESTAMP_HEADER} must be unix seconds.` };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return { ok: false, reason: `The signature's timestamp is more than ${MAX_SKEW_SECONDS} seconds from now.` };
  }
  const expected = Buffer.from(signPoolRequest(secret, { ...request, timestamp, body: signedBody(request.method, request.body) }), "hex");
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "The signature does not match." };
  return { ok: true };
}
