import { normaliseEmail, normaliseTelegramUsername } from "../../domain/lead-import/contact-fields";
import type { FieldResult } from "../../domain/lead-import/field-result";
import { createPhoneNormaliser, toPhoneRegion } from "../../domain/lead-import/phone";
import { createTimezoneNormaliser } from "../../domain/lead-import/timezone";
import { AppError, type FieldError } from "../../errors";

export interface ContactInput {
  phone?: string | null;
  email?: string | null;
  telegramUsername?: string | null;
  timezone?: string | null;
}

/**
 * The same normalisation a CSV import applies (E.164, lowercased email, bare Telegram
 * username, IANA zone), for leads created or edited one at a time.
 */
export function normaliseContact<T extends ContactInput>(input: T, defaultRegion: string): T {
  const errors: FieldError[] = [];
  const out: T = { ...input };
  const normalisers: Record<keyof ContactInput, (raw: string) => FieldResult> = {
    phone: createPhoneNormaliser(toPhoneRegion(defaultRegion)),
    email: normaliseEmail,
    telegramUsername: normaliseTelegramUsername,
    timezone: createTimezoneNormaliser(),
  };
  for (const field of Object.keys(normalisers) as (keyof ContactInput)[]) {
    const raw = input[field];
    if (raw === undefined || raw === null) continue;
    if (raw.trim() === "") {
      out[field] = null as T[typeof field];
      continue;
    }
    const result = normalisers[field](raw);
    if (result.ok) out[field] = result.value as T[typeof field];
    else errors.push({ field: `body.${field}`, message: result.message });
  }
  if (errors.length) throw new AppError("validation_failed", "Some contact details are not valid.", errors);
  return out;
}

export function requireSomeContact(lead: ContactInput) {
  if (!lead.phone && !lead.email && !lead.telegramUsername) {
    throw new AppError("validation_failed", "A lead needs a phone, an email or a Telegram username.", [
      { field: "body", message: "no contact: needs a phone, email or Telegram username" },
    ]);
  }
}
