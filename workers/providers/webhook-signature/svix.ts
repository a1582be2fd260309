/**
 * Svix webhook signatures, which Resend (and Clerk) sign their webhooks with:
 * https://docs.svix.com/receiving/verifying-payloads/how-manual
 *
 * On Web Crypto rather than `standardwebhooks` (what `svix` and `resend` wrap): that library reads
 * `Date.now()` against a fixed five-minute window, so neither the clock nor the tolerance can be
 * injected, and it hashes with a pure-JS SHA-256. This is the same algorithm; the tests pin it to
 * the specification's published vector and to signatures made by an independent implementation.
 *
 * Replays: a valid delivery sent twice verifies twice (Svix retries keep the same `svix-id`). The
 * route must remember the ids it has processed and skip repeats; the timestamp window only bounds
 * how long it has to remember them.
 */

export interface SvixVerifyInput {
  /** `whsec_<base64>` as Resend shows it; bare base64 is accepted too, as the Svix libraries do. */
  secret: string;
  headers: Headers | Record<string, string | null | undefined>;
  /** The body exactly as received: re-serialised JSON no longer matches its signature. */
  rawBody: string;
  now?: Date;
  toleranceSeconds?: number;
}

export type SvixRefusal =
  | "missing_headers"
  | "invalid_timestamp"
  | "stale_timestamp"
  | "invalid_secret"
  | "no_matching_signature";

export type SvixVerification = { ok: true; id: string; timestamp: number } | { ok: false; reason: SvixRefusal };

const DEFAULT_TOLERANCE_SECONDS = 300;
/** Key rotation sends a few signatures at once; more than this is someone making us work. */
const MAX_SIGNATURES = 8;
const SECRET_PREFIX = "whsec_";
const encoder = new TextEncoder();

/** Never throws: every refusal is a reason the route can log with the request id. */
export async function verifySvixSignature(input: SvixVerifyInput): Promise<SvixVerification> {
  const id = pick(input.headers, "svix-id", "webhook-id");
  const timestampHeader = pick(input.headers, "svix-timestamp", "webhook-timestamp");
  const signatures = pick(input.headers, "svix-signature", "webhook-signature");
  if (!id || !timestampHeader || !signatures) return refuse("missing_headers");

  if (!/^\d{1,12}$/.test(timestampHeader)) return refuse("invalid_timestamp");
  const timestamp = Number(timestampHeader);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return refuse("stale_timestamp");
  }

  const secret = input.secret.startsWith(SECRET_PREFIX) ? input.secret.slice(SECRET_PREFIX.length) : input.secret;
  const keyBytes = decodeBase64(secret);
  if (!keyBytes || keyBytes.length === 0) return refuse("invalid_secret");
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = encoder.encode(`${id}.${timestampHeader}.${input.rawBody}`);

  for (const candidate of signatures.trim().split(/\s+/).slice(0, MAX_SIGNATURES)) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
    const signature = decodeBase64(candidate.slice(comma + 1));
    // subtle.verify compares in constant time.
    if (signature && signature.length === 32 && (await crypto.subtle.verify("HMAC", key, signature, signed))) {
      return { ok: true, id, timestamp };
    }
  }
  return refuse("no_matching_signature");
}

function refuse(reason: SvixRefusal): SvixVerification {
  return { ok: false, reason };
}

function pick(headers: SvixVerifyInput["headers"], ...names: string[]): string | null {
  for (const name of names) {
    const value =
      headers instanceof Headers
        ? headers.get(name)
        : Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    if (value) return value;
  }
  return null;
}

function decodeBase64(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
  try {
    return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
