/**
 * Telegram sessions at rest: a StringSession is a full login to someone's account, so D1 holds it
 * only sealed with AES-256-GCM under TELEGRAM_SESSION_KEY (32 random bytes, base64). The format is
 * `v1.<iv>.<ciphertext>` in base64url; the account id is bound as additional data, so a sealed
 * session copied onto another account's row does not open.
 */
const VERSION = "v1";

export class SessionKeyError extends Error {
  override readonly name = "SessionKeyError";
}

async function importKey(base64Key: string): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = Uint8Array.from(atob(base64Key.trim()), (c) => c.charCodeAt(0));
  } catch {
    throw new SessionKeyError("TELEGRAM_SESSION_KEY is not base64");
  }
  if (raw.length !== 32) throw new SessionKeyError(`TELEGRAM_SESSION_KEY must be 32 bytes, got ${raw.length}`);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const toB64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

export async function sealSession(session: string, accountId: string, base64Key: string): Promise<string> {
  const key = await importKey(base64Key);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(accountId) }, key, new TextEncoder().encode(session));
  return `${VERSION}.${toB64url(iv)}.${toB64url(new Uint8Array(sealed))}`;
}

/** Throws SessionKeyError when the key is not the one the session was sealed with: never a silent empty session. */
export async function openSession(sealed: string, accountId: string, base64Key: string): Promise<string> {
  const [version, iv, data] = sealed.split(".");
  if (version !== VERSION || !iv || !data) throw new SessionKeyError("the stored Telegram session is not in a format this version reads");
  const key = await importKey(base64Key);
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromB64url(iv), additionalData: new TextEncoder().encode(accountId) }, key, fromB64url(data));
    return new TextDecoder().decode(plain);
  } catch {
    throw new SessionKeyError("the stored Telegram session does not open with TELEGRAM_SESSION_KEY: the key changed, or the row was tampered with");
  }
}
