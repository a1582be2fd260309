// countries-and-timezones: tzdb's country → zones table, kept current with IANA releases (48 kB).
import { getCountry } from "countries-and-timezones";
// The "max" metadata, as in lead import: it tells +1 and +7 numbers' countries apart reliably.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { PRIMARY_ZONES } from "./primary-zones";

export interface LeadZoneFields {
  timezone: string | null;
  phone: string | null;
}

/**
 * The zone whose clock decides when this lead may be contacted: the lead's own zone when it is a
 * zone this runtime knows, else the zone of its phone number's country (see primary-zones.ts for
 * countries with several), else the fallback (the org's or campaign's zone).
 */
export function leadTimeZone(lead: LeadZoneFields, fallbackZone: string): string {
  const explicit = lead.timezone === null ? null : canonicalZone(lead.timezone);
  if (explicit !== null) return explicit;
  const fromPhone = lead.phone === null ? null : phoneCountryZone(lead.phone);
  if (fromPhone !== null) return fromPhone;
  const fallback = canonicalZone(fallbackZone);
  if (fallback === null) throw new RangeError(`fallback time zone "${fallbackZone}" is not an IANA time zone`);
  return fallback;
}

/** The zone of an E.164 number's country, or null for non-geographic or unparseable numbers. */
export function phoneCountryZone(phone: string): string | null {
  const country = parsePhoneNumberFromString(phone)?.country;
  return country === undefined ? null : countryTimeZone(country);
}

/**
 * The zone we assume for a country (ISO 3166 alpha-2, e.g. an org's default region): its only
 * zone, or its primary one (primary-zones.ts). Null for an unknown code.
 */
export function countryTimeZone(country: string): string | null {
  const code = country.trim().toUpperCase();
  const zone = PRIMARY_ZONES[code] ?? getCountry(code)?.timezones[0];
  // tzdb can be newer than the runtime's ICU (America/Coyhaique arrived in 2025), so check it.
  return zone === undefined ? null : canonicalZone(zone);
}

/**
 * The runtime's own spelling of an IANA zone (case-insensitive input), or null if Intl does not
 * know it. Intl also accepts UTC offsets such as "+02:00"; those have no daylight-saving rules, so
 * they are refused, as lead import refuses them.
 */
export function canonicalZone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^[A-Za-z]/.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
