/** Hex SHA-256, used for API keys and invitation tokens: we store the hash, never the secret. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** URL-safe random token with the given bytes of entropy. */
export function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const API_KEY_PREFIX = "noir_";

export interface IssuedApiKey {
  key: string;
  hash: string;
  prefix: string;
  last4: string;
}

export async function issueApiKey(): Promise<IssuedApiKey> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, 12), last4: key.slice(-4) };
}
