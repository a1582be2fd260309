// libphonenumber-js "max" metadata: the default "min" set only checks a number's length, and an
// outreach platform that dials what it imports needs the per-country digit patterns (+65 kB).
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { accepted, rejected, type FieldResult } from "./field-result";

export function toPhoneRegion(region: string): CountryCode {
  const upper = region.trim().toUpperCase();
  if (!isSupportedCountry(upper)) throw new RangeError(`unsupported default phone region "${region}"`);
  return upper;
}

/**
 * Returns a phone normaliser for one import. It remembers each distinct cell it has seen, because
 * exports often repeat numbers and parsing (~10 µs) dominates the cost of a row.
 */
export function createPhoneNormaliser(region: CountryCode): (raw: string) => FieldResult {
  const seen = new Map<string, FieldResult>();
  return (raw) => {
    let result = seen.get(raw);
    if (result === undefined) {
      result = normalisePhone(raw, region);
      seen.set(raw, result);
    }
    return result;
  };
}

function normalisePhone(raw: string, region: CountryCode): FieldResult {
  const asWritten = parsePhoneNumberFromString(raw, region);
  if (asWritten?.isValid()) return accepted(asWritten.number);

  // Spreadsheets drop a leading "+" (they store phone numbers as numbers), and "00" is the
  // international prefix almost everywhere except the default region may not use it (US: 011).
  // Only tried when the number is not valid as written, so a national number never changes country.
  const digits = raw.replace(/[\s().\-]/g, "");
  if (/^\d{8,17}$/.test(digits)) {
    const international = parsePhoneNumberFromString(`+${digits.startsWith("00") ? digits.slice(2) : digits}`);
    if (international?.isValid()) return accepted(international.number);
  }
  return rejected(`not a valid phone number for region ${region} or in international format`);
}
