import { createHash } from "node:crypto";

/**
 * The stand-in's made-up Telegram users, decided by the name alone so any demo lead list works
 * without setup (container/README.md lists the rules):
 *   usernames: 5–32 letters, digits or _, starting with a letter (else USERNAME_INVALID);
 *     `missing…` → nobody (USERNAME_NOT_OCCUPIED); `private_…` → exists, refuses messages from
 *     strangers (USER_PRIVACY_RESTRICTED); containing `reply` → answers each message.
 *   lead phones: ending 00 → not on Telegram; ending 11 → refuses strangers; ending 22 → answers.
 *   account phones (logins): ending 0000 → PHONE_NUMBER_INVALID; ending 4444 → FLOOD_WAIT on
 *     the code; ending 9 → has two-step verification.
 */
export interface DirectoryUser {
  userId: string;
  accessHash: string;
  username: string | null;
  phone: string | null;
  firstName: string;
  acceptsStrangers: boolean;
  replies: boolean;
}

const USERNAME = /^[a-z][a-z0-9_]{4,31}$/i;

export const LOGIN_CODE = "12345";
/** A code that is always reported expired, to show that path in the dashboard. */
export const EXPIRED_LOGIN_CODE = "00000";
export const TWO_FACTOR_PASSWORD = "sandbox-2fa";
export const TWO_FACTOR_HINT = "sandbox-…";
export const CODE_FLOOD_SECONDS = 3600;

export type UsernameLookup = { kind: "invalid" } | { kind: "not_occupied" } | { kind: "user"; user: DirectoryUser };

export function lookUpUsername(username: string): UsernameLookup {
  if (!USERNAME.test(username)) return { kind: "invalid" };
  const name = username.toLowerCase();
  if (name.startsWith("missing")) return { kind: "not_occupied" };
  return {
    kind: "user",
    user: {
      userId: idFor(`u:${name}`, 5_000_000_000),
      accessHash: idFor(`h:${name}`, 1_000_000_000_000),
      username,
      phone: null,
      firstName: titleCase(name.replace(/^private_/, "").split("_")[0] ?? name),
      acceptsStrangers: !name.startsWith("private_"),
      replies: name.includes("reply"),
    },
  };
}

/** The user behind a lead's phone number, or null when the number is not on Telegram. */
export function lookUpPhone(phone: string): DirectoryUser | null {
  const digits = phone.replace(/\D/g, "");
  if (digits.endsWith("00")) return null;
  return {
    userId: idFor(`p:${digits}`, 6_000_000_000),
    accessHash: idFor(`h:${digits}`, 1_000_000_000_000),
    username: null,
    phone: `+${digits}`,
    firstName: "Lead",
    acceptsStrangers: !digits.endsWith("11"),
    replies: digits.endsWith("22"),
  };
}

export type LoginPhone = { kind: "invalid" } | { kind: "flood" } | { kind: "ok"; twoFactor: boolean };

export function lookUpLoginPhone(phone: string): LoginPhone {
  const digits = phone.replace(/\D/g, "");
  if (digits.endsWith("0000")) return { kind: "invalid" };
  if (digits.endsWith("4444")) return { kind: "flood" };
  return { kind: "ok", twoFactor: digits.endsWith("9") };
}

/** The sender account signed in with this phone. */
export function accountUser(phone: string): { id: string; username: string; firstName: string; phone: string } {
  const digits = phone.replace(/\D/g, "");
  return { id: idFor(`a:${digits}`, 7_000_000_000), username: `sandbox_${digits.slice(-4)}`, firstName: "Sandbox", phone: `+${digits}` };
}

const CANNED_REPLIES = [
  "Hi! Thanks for reaching out. Could you tell me a bit more about pricing?",
  "Interesting timing, we were just looking at this. Can we talk on Thursday?",
  "Thanks, but we're not interested right now.",
];

/** The same lead answers the same way each time, so demos and tests are repeatable. */
export function cannedReply(userId: string, nth: number): string {
  const index = (Number(BigInt(userId) % 7n) + nth) % CANNED_REPLIES.length;
  return CANNED_REPLIES[index] ?? CANNED_REPLIES[0] ?? "";
}

function idFor(seed: string, base: number): string {
  const n = createHash("sha256").update(seed).digest().readUInt32BE(0);
  return String(base + n);
}

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
