/**
 * Clerk-shaped identifiers. Real ids are a prefix plus a 27-character base62 KSUID
 * (`user_2NNEqL2nrIRdJ194ndJqAHwEfxC`); ours keep the shape so anything that validates or
 * logs them treats them alike, but draw from a seeded stream instead of a clock.
 */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX = "0123456789abcdef";

function draw(random: () => number, alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** `user_`, `sess_`, `ins_`… followed by a KSUID-like body; current KSUIDs start with `2`. */
export function clerkId(prefix: "user" | "sess" | "ins", random: () => number): string {
  return `${prefix}_2${draw(random, BASE62, 26)}`;
}

/** Session tokens carry a 20-hex-digit `jti`. */
export function tokenId(random: () => number): string {
  return draw(random, HEX, 20);
}

/** Secret keys are `sk_test_` plus 40 base62 characters. */
export function secretKey(random: () => number): string {
  return `sk_test_${draw(random, BASE62, 40)}`;
}

/**
 * A publishable key is `pk_test_` + unpadded base64 of `<frontend API host>$`; Clerk's SDKs
 * decode it to find the Frontend API, whose URL is the token issuer.
 */
export function publishableKeyFor(frontendApiHost: string): string {
  return `pk_test_${Buffer.from(`${frontendApiHost}$`).toString("base64").replace(/=+$/, "")}`;
}
