import { z } from "zod";
import { accepted, rejected, type FieldResult } from "./field-result";

// zod's email check rather than a home-made regex; 254 is the longest address SMTP can carry (RFC 5321 §4.5.3).
const emailSchema = z.email().max(254);

export function normaliseEmail(raw: string): FieldResult {
  const email = raw.toLowerCase();
  return emailSchema.safeParse(email).success ? accepted(email) : rejected("not a valid email address");
}

// https://core.telegram.org/method/account.checkUsername: 5–32 of a–z, 0–9 and "_", starting with
// a letter; we also refuse a trailing or doubled "_", which Telegram does not hand out.
const TELEGRAM_USERNAME = /^[a-z](?!.*__)[a-z0-9_]{3,30}[a-z0-9]$/;
const TELEGRAM_LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t|telegram)\.me\//i;

/** Accepts "@name", "name", "t.me/name" and "https://t.me/name"; returns "name" lowercased. */
export function normaliseTelegramUsername(raw: string): FieldResult {
  const link = TELEGRAM_LINK.exec(raw);
  // A link may carry a trailing "/" or a query such as "?start=…"; a bare handle may carry "@".
  const handle = link ? raw.slice(link[0].length).replace(/\/?(?:[?#].*)?$/s, "") : raw.replace(/^@/, "");
  const username = handle.toLowerCase();
  return TELEGRAM_USERNAME.test(username)
    ? accepted(username)
    : rejected("not a Telegram username: 5–32 letters, digits or _ starting with a letter");
}
