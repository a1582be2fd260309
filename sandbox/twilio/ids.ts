/**
 * Twilio-shaped identifiers and formats. A SID is a two-letter prefix plus 32 lower-case hex
 * digits (34 characters): `AC…` account, `CA…` call, `MZ…` media stream, `PN…` phone number.
 * Ours come from the sandbox's seeded stream, so the same seed and request order give the same SIDs.
 */
const HEX = "0123456789abcdef";

export type SidPrefix = "AC" | "CA" | "MZ" | "PN";

export function sid(prefix: SidPrefix, random: () => number): string {
  let out = prefix;
  for (let i = 0; i < 32; i++) out += HEX[Math.floor(random() * 16)];
  return out;
}

export const SID_PATTERN = (prefix: SidPrefix) => new RegExp(`^${prefix}[0-9a-f]{32}$`);

/** Twilio's REST dates are RFC 2822 in GMT with a numeric zone: `Tue, 31 Aug 2010 20:36:28 +0000`. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, "+0000");
}

/** E.164: `+`, a country code that does not start with 0, at most 15 digits in all. */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

/** How Twilio shows a number in `friendly_name` / `to_formatted`: `(415) 555-0100` for NANP, else as is. */
export function formatNumber(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}

/** A 32-bit seed from a string, for per-call generators (FNV-1a). */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
