import { z } from "zod";
import { COLUMN_TARGETS, type ColumnTarget, type HeaderMapping, type RowError } from "./types";

/** For the route: validates a mapping sent by the client before it reaches parseLeadCsv. */
export const headerMappingSchema = z.record(z.string(), z.enum(COLUMN_TARGETS));

// Written as people write them; looked up through headerKey() so case and separators don't matter.
const SYNONYM_TABLE: readonly (readonly [ColumnTarget, readonly string[]])[] = [
  ["firstName", ["first name", "given name", "forename", "ім'я", "имя"]],
  ["lastName", ["last name", "surname", "family name", "прізвище", "фамилия"]],
  ["fullName", ["name", "full name", "contact name", "піб", "повне ім'я", "фио"]],
  ["phone", ["phone", "phone number", "mobile", "mobile phone", "cell", "tel", "telephone", "телефон", "номер телефону", "мобільний"]],
  ["email", ["email", "e-mail", "mail", "email address", "пошта", "електронна пошта", "почта"]],
  ["telegramUsername", ["telegram", "telegram username", "tg", "telegram handle", "телеграм"]],
  ["company", ["company", "company name", "organization", "organisation", "компанія", "компания", "організація"]],
  ["timezone", ["timezone", "time zone", "tz", "часовий пояс"]],
  ["notes", ["notes", "note", "comment", "comments", "примітки", "коментар"]],
];
const SYNONYMS: ReadonlyMap<string, ColumnTarget> = new Map(
  SYNONYM_TABLE.flatMap(([target, names]) => names.map((name) => [headerKey(name), target] as const)),
);

/** Case-insensitive, ignoring spaces, underscores, dashes, dots and any apostrophe form (ім'я, ім’я, імʼя). */
function headerKey(header: string): string {
  return header.toLowerCase().replace(/[\s_\-.'’ʼ`]/g, "");
}

/**
 * Guesses a target for each header. Each lead field goes to the first header that names it; a
 * later header naming the same field is kept as metadata rather than silently dropped.
 */
export function suggestHeaderMapping(headers: readonly string[]): Record<string, ColumnTarget> {
  return resolveHeaderMapping(headers, undefined, 1).mapping;
}

/**
 * Combines an explicit mapping with suggestions for the headers it leaves out. Problems with the
 * mapping are reported as errors on the header line; parsing still goes on with what is usable.
 */
export function resolveHeaderMapping(
  headers: readonly string[],
  explicit: HeaderMapping | undefined,
  headerLine: number,
): { mapping: Record<string, ColumnTarget>; errors: RowError[] } {
  const errors: RowError[] = [];
  const mapping = new Map<string, ColumnTarget>();
  const claimedBy = new Map<ColumnTarget, string>();
  const present = new Set(headers);

  for (const [header, target] of Object.entries(explicit ?? {})) {
    if (target === undefined) continue;
    if (!present.has(header)) {
      errors.push({ line: headerLine, field: "row", value: header, message: `the mapping names a column "${header}" that is not in the file` });
    }
  }
  for (const header of headers) {
    // Own keys only: a column named "constructor" must not pick up Object.prototype.constructor.
    const target = explicit !== undefined && Object.hasOwn(explicit, header) ? explicit[header] : undefined;
    if (target === undefined) continue;
    const owner = claimedBy.get(target);
    if (owner !== undefined && claimsField(target)) {
      errors.push({ line: headerLine, field: "row", value: header, message: `columns "${owner}" and "${header}" are both mapped to ${target}; "${header}" is kept as metadata` });
      mapping.set(header, "metadata");
      continue;
    }
    mapping.set(header, target);
    claimedBy.set(target, header);
  }

  // A plain "name" column next to a surname column holds first names, not full names.
  const hasSurnameColumn = claimedBy.has("lastName") || headers.some((h) => SYNONYMS.get(headerKey(h)) === "lastName");
  for (const header of headers) {
    if (mapping.has(header)) continue;
    let target = SYNONYMS.get(headerKey(header)) ?? "metadata";
    if (target === "fullName" && hasSurnameColumn) target = "firstName";
    if (claimedBy.has(target) && claimsField(target)) target = "metadata";
    mapping.set(header, target);
    claimedBy.set(target, header);
  }
  return { mapping: Object.fromEntries(mapping), errors };
}

function claimsField(target: ColumnTarget): boolean {
  return target !== "metadata" && target !== "ignore";
}
