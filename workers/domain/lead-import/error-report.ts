import Papa from "papaparse";
import type { RowError } from "./types";

/**
 * The error report users download and open in a spreadsheet. `escapeFormulae` prefixes cells that
 * start with = + - @ so a value copied from an uploaded file cannot run as a formula (CSV injection);
 * it also prefixes "+380…" phone values with a quote, which a spreadsheet hides.
 */
export function serializeErrorReportCsv(errors: readonly RowError[]): string {
  return Papa.unparse(
    {
      fields: ["line", "field", "value", "message"],
      data: errors.map((error) => [String(error.line), error.field, error.value ?? "", error.message]),
    },
    { escapeFormulae: true },
  );
}
