import type { CountryCode } from "libphonenumber-js/max";
import { normaliseEmail, normaliseTelegramUsername } from "./contact-fields";
import type { CsvRecord } from "./csv-records";
import type { FieldResult } from "./field-result";
import { createPhoneNormaliser } from "./phone";
import { createTimezoneNormaliser } from "./timezone";
import type { ColumnTarget, ImportedLead, LeadField, RowError } from "./types";

// Generous for real names and notes, small enough that one row cannot bloat a D1 row or a prompt.
const MAX_NAME = 200;
const MAX_NOTES = 2000;
const MAX_METADATA_VALUE = 2000;
// Error reports echo the bad value; a 2,000-character note does not need echoing in full.
const MAX_ECHOED_VALUE = 200;

export type RowOutcome = { ok: true; lead: ImportedLead } | { ok: false; errors: RowError[] };

/**
 * Returns a function that turns one CSV record into a lead, or into every problem it has. Any
 * problem rejects the whole row, so nothing is imported half-filled.
 */
export function createLeadRowBuilder(
  headers: readonly string[],
  mapping: Readonly<Record<string, ColumnTarget>>,
  region: CountryCode,
): (record: CsvRecord) => RowOutcome {
  const columnOf = new Map<ColumnTarget, number>();
  const metadataColumns: { index: number; header: string }[] = [];
  headers.forEach((header, index) => {
    const target = mapping[header] ?? "metadata";
    if (target === "metadata") metadataColumns.push({ index, header });
    else if (target !== "ignore" && !columnOf.has(target)) columnOf.set(target, index);
  });
  const normalisePhone = createPhoneNormaliser(region);
  const normaliseTimezone = createTimezoneNormaliser();

  return (record) => {
    const { line, values } = record;
    if (record.problem !== null) return { ok: false, errors: [{ line, field: "row", message: record.problem }] };

    const errors: RowError[] = [];
    const cell = (target: ColumnTarget): string | null => {
      const index = columnOf.get(target);
      return index === undefined ? null : values[index]?.trim() || null;
    };
    const normalised = (field: LeadField, raw: string | null, normalise: (raw: string) => FieldResult): string | null => {
      if (raw === null) return null;
      const result = normalise(raw);
      if (result.ok) return result.value;
      errors.push({ line, field, value: echo(raw), message: result.message });
      return null;
    };
    const limited = (field: LeadField, raw: string | null, max: number): string | null => {
      if (raw !== null && raw.length > max) errors.push({ line, field, value: echo(raw), message: `longer than ${max} characters` });
      return raw;
    };

    const extra = values.slice(headers.length).filter((value) => value.trim() !== "");
    if (extra.length > 0) {
      errors.push({ line, field: "row", value: echo(extra.join(", ")), message: `the row has more values than the header has columns (${headers.length})` });
    }
    const fullName = splitFullName(cell("fullName"));
    const rawContacts = { phone: cell("phone"), email: cell("email"), telegram: cell("telegramUsername") };
    const lead: ImportedLead = {
      line,
      firstName: limited("firstName", cell("firstName") ?? fullName.first, MAX_NAME),
      lastName: limited("lastName", cell("lastName") ?? fullName.last, MAX_NAME),
      phone: normalised("phone", rawContacts.phone, normalisePhone),
      email: normalised("email", rawContacts.email, normaliseEmail),
      telegramUsername: normalised("telegramUsername", rawContacts.telegram, normaliseTelegramUsername),
      company: limited("company", cell("company"), MAX_NAME),
      timezone: normalised("timezone", cell("timezone"), normaliseTimezone),
      notes: limited("notes", cell("notes"), MAX_NOTES),
      metadata: {},
    };
    const metadata: [string, string][] = [];
    for (const { index, header } of metadataColumns) {
      const value = values[index]?.trim();
      if (!value) continue;
      if (value.length > MAX_METADATA_VALUE) {
        errors.push({ line, field: "row", value: echo(value), message: `column "${header}" is longer than ${MAX_METADATA_VALUE} characters` });
      }
      metadata.push([header, value]);
    }
    // fromEntries defines own properties, so a column named "__proto__" stays plain data.
    lead.metadata = Object.fromEntries(metadata);

    if (rawContacts.phone === null && rawContacts.email === null && rawContacts.telegram === null) {
      errors.push({ line, field: "row", message: "no contact: needs a phone, email or Telegram username" });
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, lead };
  };
}

/**
 * "Mary Ann Smith" → first "Mary", last "Ann Smith": split on the first space. CRM exports often
 * write "Smith, Mary Ann"; a comma means the surname comes first.
 */
function splitFullName(value: string | null): { first: string | null; last: string | null } {
  if (value === null) return { first: null, last: null };
  const comma = value.indexOf(",");
  if (comma !== -1) {
    const last = value.slice(0, comma).trim() || null;
    const first = value.slice(comma + 1).trim() || null;
    return { first, last };
  }
  const space = value.search(/\s/);
  if (space === -1) return { first: value, last: null };
  return { first: value.slice(0, space), last: value.slice(space).trim() || null };
}

function echo(value: string): string {
  return value.length > MAX_ECHOED_VALUE ? `${value.slice(0, MAX_ECHOED_VALUE)}…` : value;
}
