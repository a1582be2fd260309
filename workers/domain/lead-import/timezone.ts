import { accepted, rejected, type FieldResult } from "./field-result";

/**
 * Returns a time-zone normaliser for one import. The runtime's Intl data is the authority (the same
 * data later turns the zone into local hours), and building a DateTimeFormat is slow, so each
 * distinct cell is checked once.
 */
export function createTimezoneNormaliser(): (raw: string) => FieldResult {
  const seen = new Map<string, FieldResult>();
  return (raw) => {
    let result = seen.get(raw);
    if (result === undefined) {
      result = normaliseTimezone(raw);
      seen.set(raw, result);
    }
    return result;
  };
}

function normaliseTimezone(raw: string): FieldResult {
  // Intl also accepts UTC offsets such as "+02:00"; those are not zones (no daylight saving rules).
  if (!/^[A-Za-z]/.test(raw)) return rejected("not an IANA time zone such as Europe/Kyiv");
  try {
    // resolvedOptions() gives the runtime's own spelling, e.g. "america/new_york" → "America/New_York".
    return accepted(new Intl.DateTimeFormat("en", { timeZone: raw }).resolvedOptions().timeZone);
  } catch {
    return rejected("not an IANA time zone such as Europe/Kyiv");
  }
}
