import { readCsvRecords } from "./csv-records";
import { resolveHeaderMapping } from "./header-mapping";
import { createInFileDuplicateCheck } from "./in-file-duplicates";
import { createLeadRowBuilder } from "./lead-row";
import { toPhoneRegion } from "./phone";
import type { ColumnTarget, DuplicateInFile, ImportedLead, ParsedLeadFile, ParseLeadCsvOptions, RowError } from "./types";

/**
 * Turns the text of a lead CSV (or a header + slice of one) into normalised leads, a per-row error
 * report and the rows that repeat an earlier row's contact. Never throws on file content; throws a
 * RangeError only for a default region libphonenumber does not know (a configuration bug).
 */
export function parseLeadCsv(csvText: string, options: ParseLeadCsvOptions): ParsedLeadFile {
  const region = toPhoneRegion(options.defaultRegion);
  let headers: string[] = [];
  let headerLine = options.firstLineNumber ?? 1;
  let mapping: Record<string, ColumnTarget> = {};
  const leads: ImportedLead[] = [];
  const errors: RowError[] = [];
  const duplicatesInFile: DuplicateInFile[] = [];
  let totalRows = 0;

  readCsvRecords(csvText, options.firstLineNumber ?? 1, ({ headers: fileHeaders, line, problem }) => {
    const resolved = resolveHeaderMapping(fileHeaders, options.mapping, line);
    headers = fileHeaders;
    headerLine = line;
    mapping = resolved.mapping;
    if (problem !== null) errors.push({ line, field: "row", message: `header row: ${problem}` });
    errors.push(...resolved.errors);
    if (headers.length > 0 && !Object.values(mapping).some(isContactTarget)) {
      errors.push({ line, field: "row", message: "no column is mapped to phone, email or Telegram username" });
    }
    const buildRow = createLeadRowBuilder(headers, mapping, region);
    const findDuplicate = createInFileDuplicateCheck();

    return (record) => {
      totalRows++;
      const outcome = buildRow(record);
      if (!outcome.ok) {
        for (const error of outcome.errors) errors.push(error);
        return;
      }
      const duplicate = findDuplicate(outcome.lead);
      if (duplicate === null) leads.push(outcome.lead);
      else duplicatesInFile.push(duplicate);
    };
  });
  return { headers, headerLine, mapping, leads, errors, duplicatesInFile, totalRows };
}

function isContactTarget(target: ColumnTarget): boolean {
  return target === "phone" || target === "email" || target === "telegramUsername";
}
