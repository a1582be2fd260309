/**
 * `X-Twilio-Signature` on Twilio's webhooks and media-socket handshakes:
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 *
 * The signed string is the full URL Twilio requested (scheme, host, port, path and query, as
 * configured), then every POST form field sorted by name as `name` + `value` with nothing between
 * (a repeated name adds each of its values, sorted); HMAC-SHA1 keyed with the Auth Token, base64.
 * A GET, and a WebSocket handshake, sign the URL alone. A JSON body is not signed as fields:
 * Twilio adds `bodySHA256=<hex SHA-256 of the raw body>` to the URL's query and signs that URL.
 *
 * On Web Crypto rather than the `twilio` package's `validateRequest`: that would pull the whole
 * SDK (node:crypto, ~420 KiB) into the Worker for one HMAC. The tests pin this to the vectors in
 * Twilio's documentation and helper-library tests, and to the sandbox's node:crypto signer.
 */

/** Form fields as received: name → value, or name → values when a name repeats. */
export type TwilioParams = URLSearchParams | Record<string, string | readonly string[]>;

export interface TwilioSignatureInput {
  /** The account's Auth Token (the signing key). */
  authToken: string;
  /**
   * The URL exactly as Twilio requested it, query included: the public one, not what a proxy
   * rewrote. For the media socket, the `wss://` URL from the TwiML (workerd shows `https://`).
   */
  url: string;
  /** The form fields of an `application/x-www-form-urlencoded` POST; none for GET or a handshake. */
  params?: TwilioParams;
  /** The raw body of an `application/json` request, checked against the URL's `bodySHA256`. */
  rawBody?: string;
  /** The `X-Twilio-Signature` header. */
  signature: string | null | undefined;
}

const encoder = new TextEncoder();
const SHA1_BYTES = 20;

/** True only when the request is Twilio's, signed with this token. Never throws. */
export async function verifyTwilioSignature(input: TwilioSignatureInput): Promise<boolean> {
  const signature = input.signature ? decodeBase64(input.signature.trim()) : null;
  if (!signature || signature.length !== SHA1_BYTES || !input.authToken) return false;

  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return false;
  }
  const bodyHash = url.searchParams.get("bodySHA256");
  let fields = "";
  if (bodyHash !== null) {
    // A JSON body: the URL carries the body's hash; there are no fields to sign.
    if (input.rawBody === undefined || !sameHex(bodyHash, await sha256Hex(input.rawBody))) return false;
  } else {
    fields = sortedFields(input.params ?? {});
  }

  const key = await crypto.subtle.importKey("raw", encoder.encode(input.authToken), { name: "HMAC", hash: "SHA-1" }, false, ["verify"]);
  for (const candidate of urlVariants(input.url, url)) {
    // subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, signature, encoder.encode(candidate + fields))) return true;
  }
  return false;
}

/**
 * The URL as given, then with its port dropped or the scheme's default port written out: Twilio's
 * own helper libraries accept all of these, because which one Twilio signs depends on how the
 * URL was configured (`https://host:443/…` and `https://host/…`).
 */
function urlVariants(raw: string, url: URL): string[] {
  const variants = [raw];
  const defaultPort = { "https:": "443", "wss:": "443", "http:": "80", "ws:": "80" }[url.protocol];
  if (defaultPort === undefined) return variants;
  const userinfo = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
  const rest = `${url.pathname}${url.search}${url.hash}`;
  const withoutPort = `${url.protocol}//${userinfo}${url.hostname}${rest}`;
  const withPort = `${url.protocol}//${userinfo}${url.hostname}:${url.port || defaultPort}${rest}`;
  for (const variant of [withoutPort, withPort]) if (!variants.includes(variant)) variants.push(variant);
  return variants;
}

/** `name` + `value` of every field, by name, then by value within a repeated name (code-unit order, as Twilio sorts). */
function sortedFields(params: TwilioParams): string {
  const pairs: [string, string][] = [];
  if (params instanceof URLSearchParams) {
    for (const [name, value] of params) pairs.push([name, value]);
  } else {
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === "string") pairs.push([name, value]);
      else for (const one of value) pairs.push([name, one]);
    }
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let out = "";
  for (const [name, value] of pairs) out += name + value;
  return out;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function sameHex(given: string, expected: string): boolean {
  const a = encoder.encode(given.toLowerCase());
  const b = encoder.encode(expected);
  return a.length === b.length && crypto.subtle.timingSafeEqual(a, b);
}

function decodeBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
