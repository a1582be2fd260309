/**
 * Requests between the Worker and the Telegram pool container, both ways, are signed with the
 * shared TELEGRAM_POOL_SECRET: hex HMAC-SHA256 over `timestamp.METHOD.path.body`, sent as
 * `x-noir-timestamp` and `x-noir-signature`. The container's `container/src/auth.ts` is the
 * same scheme in Node; a signature more than five minutes from now is stale.
 */
export const POOL_SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(message));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface SignedParts {
  timestamp: number;
  method: string;
  /** Path with its query string. */
  path: string;
  body: string;
}

export async function signPoolRequest(secret: string, parts: SignedParts): Promise<Record<"x-noir-timestamp" | "x-noir-signature", string>> {
  const signature = await hmacHex(secret, `${parts.timestamp}.${parts.method.toUpperCase()}.${parts.path}.${parts.body}`);
  return { "x-noir-timestamp": String(parts.timestamp), "x-noir-signature": signature };
}

export type PoolVerdict = { ok: true } | { ok: false; reason: string };

export async function verifyPoolRequest(secret: string, request: { method: string; path: string; body: string; headers: Headers }, nowSeconds: number): Promise<PoolVerdict> {
  const timestamp = request.headers.get("x-noir-timestamp");
  const signature = request.headers.get("x-noir-signature");
  if (!timestamp || !signature) return { ok: false, reason: "missing signature" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed timestamp" };
  if (Math.abs(nowSeconds - Number(timestamp)) > POOL_SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "stale timestamp" };
  const expected = await hmacHex(secret, `${timestamp}.${request.method.toUpperCase()}.${request.path}.${request.body}`);
  if (!timingSafeEqual(expected, signature.toLowerCase())) return { ok: false, reason: "wrong signature" };
  return { ok: true };
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
