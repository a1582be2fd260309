/**
 * Tokens we hand to leads: the unsubscribe link (`/u/<token>`) and the per-message reply address
 * (`reply+<token>@<inbound domain>`). Each is HMAC-SHA256 over a purpose label and the ids, so a
 * token never verifies for another purpose, and any change to an id or the tag is refused.
 * No expiry: an unsubscribe link in a years-old email must still work (RFC 8058 expects it to).
 */

export interface UnsubscribeSubject {
  orgId: string;
  leadId: string;
}

export interface ReplySubject {
  orgId: string;
  messageId: string;
}

const PURPOSE = { unsubscribe: "noir/unsubscribe/v1", reply: "noir/reply/v1" } as const;
/** Ids travel unencoded, so they must be URL-safe; ours are `<prefix>_<lowercase ulid>`. */
const URL_SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * Reply ids must also survive mail software that case-folds the local part, hence lowercase only.
 * The local part comes to ~85 characters with two of our ids: above RFC 5321's 64, as GitHub's
 * `reply+…` addresses long were, which the large mailbox providers reply to without complaint.
 */
const LOWERCASE_ID = /^[a-z0-9_-]{1,64}$/;
/** 80 bits: forging needs ~2^79 guesses, each one an email we receive. Keeps the address shorter. */
const REPLY_TAG_BYTES = 10;
const MIN_SECRET_LENGTH = 16;
const REPLY_PREFIX = "reply+";

const encoder = new TextEncoder();

export async function signUnsubscribeToken(subject: UnsubscribeSubject, secret: string): Promise<string> {
  requireId(subject.orgId, URL_SAFE_ID, "orgId");
  requireId(subject.leadId, URL_SAFE_ID, "leadId");
  const tag = await mac(secret, PURPOSE.unsubscribe, subject.orgId, subject.leadId);
  return `${subject.orgId}.${subject.leadId}.${base64Url(tag)}`;
}

/** The ids a genuine token carries, or null for anything else (tampered, truncated, foreign). */
export async function verifyUnsubscribeToken(token: string, secret: string): Promise<UnsubscribeSubject | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [orgId = "", leadId = "", tag = ""] = parts;
  if (!URL_SAFE_ID.test(orgId) || !URL_SAFE_ID.test(leadId) || !/^[A-Za-z0-9_-]{43}$/.test(tag)) return null;
  const expected = base64Url(await mac(secret, PURPOSE.unsubscribe, orgId, leadId));
  return constantTimeEqual(tag, expected) ? { orgId, leadId } : null;
}

/** `reply+<orgId>.<messageId>.<tag>@<domain>`: the lead's reply tells us which message it answers. */
export async function replyAddress(subject: ReplySubject, secret: string, inboundDomain: string): Promise<string> {
  requireId(subject.orgId, LOWERCASE_ID, "orgId");
  requireId(subject.messageId, LOWERCASE_ID, "messageId");
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(inboundDomain)) throw new TypeError(`Invalid inbound domain "${inboundDomain}"`);
  const tag = await replyTag(secret, subject.orgId, subject.messageId);
  return `${REPLY_PREFIX}${subject.orgId}.${subject.messageId}.${tag}@${inboundDomain.toLowerCase()}`;
}

/**
 * Reads a reply address as it arrives in an inbound email's `to` (bare or `Name <addr>`). Returns
 * null unless it is one we signed; `inboundDomain`, when given, must match too.
 */
export async function parseReplyAddress(
  address: string,
  secret: string,
  inboundDomain?: string,
): Promise<ReplySubject | null> {
  const bare = (/<([^<>]*)>\s*$/.exec(address)?.[1] ?? address).trim().toLowerCase();
  const at = bare.lastIndexOf("@");
  if (at < 0) return null;
  const local = bare.slice(0, at);
  const domain = bare.slice(at + 1);
  if (inboundDomain !== undefined && domain !== inboundDomain.toLowerCase()) return null;
  if (!local.startsWith(REPLY_PREFIX)) return null;
  const parts = local.slice(REPLY_PREFIX.length).split(".");
  if (parts.length !== 3) return null;
  const [orgId = "", messageId = "", tag = ""] = parts;
  if (!LOWERCASE_ID.test(orgId) || !LOWERCASE_ID.test(messageId) || !/^[0-9a-f]{20}$/.test(tag)) return null;
  return constantTimeEqual(tag, await replyTag(secret, orgId, messageId)) ? { orgId, messageId } : null;
}

function requireId(value: string, pattern: RegExp, name: string): void {
  if (!pattern.test(value)) throw new TypeError(`${name} "${value}" cannot go into a signed token`);
}

async function mac(secret: string, purpose: string, ...ids: string[]): Promise<Uint8Array> {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  // Newlines cannot occur in ids, so the signed text is unambiguous.
  const signed = encoder.encode([purpose, ...ids].join("\n"));
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
}

async function replyTag(secret: string, orgId: string, messageId: string): Promise<string> {
  const tag = await mac(secret, PURPOSE.reply, orgId, messageId);
  return [...tag.subarray(0, REPLY_TAG_BYTES)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Same-length strings of our own alphabet; the time taken does not depend on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
