// papaparse: quoting, escaped quotes, embedded newlines and delimiter detection are easy to get
// subtly wrong, and it parses a string synchronously with no DOM or Node APIs, so it runs in workerd.
import Papa from "papaparse";

export interface CsvRecord {
  /** Line in the original file where the record starts. */
  line: number;
  values: string[];
  /** Set when the CSV around this record is malformed (e.g. an unclosed quote). */
  problem: string | null;
}

/** Called once with the header row; returns what receives each data record after it. */
export type OnHeader = (header: { headers: string[]; line: number; problem: string | null }) => (record: CsvRecord) => void;

/**
 * Reads CSV text record by record: the first non-blank row is the header, the rest are data.
 * Blank rows (only whitespace and delimiters) are skipped, as papaparse's `skipEmptyLines: "greedy"`
 * would. We apply that rule ourselves because papaparse does not report where skipped rows (or the
 * header, with `header: true`) end, and each record's start offset is the previous record's end.
 */
export function readCsvRecords(csvText: string, firstLineNumber: number, onHeader: OnHeader): void {
  // papaparse drops a leading BOM itself; dropping it first keeps its cursors offsets into `text`.
  const text = csvText.startsWith("\uFEFF") ? csvText.slice(1) : csvText;
  // Detect the delimiter as a greedy parse would (blank lines ignored), then reuse it for the real pass.
  const { delimiter } = Papa.parse<string[]>(text, { preview: 10, skipEmptyLines: "greedy" }).meta;
  const lineAt = createLineCounter(text, firstLineNumber);
  let recordStart = 0;
  let onRecord: ((record: CsvRecord) => void) | undefined;

  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step(result) {
      const start = recordStart;
      recordStart = result.meta.cursor;
      const values = result.data;
      if (values.join("").trim() === "") return;
      const line = lineAt(start);
      const quoteError = result.errors.find((error) => error.type === "Quotes");
      const problem = quoteError ? describeQuoteError(quoteError.code) : null;
      if (onRecord === undefined) onRecord = onHeader({ headers: uniqueHeaders(values), line, problem });
      else onRecord({ line, values, problem });
    },
  });
  if (onRecord === undefined) onHeader({ headers: [], line: lineAt(0), problem: null });
}

function describeQuoteError(code: string): string {
  return code === "MissingQuotes"
    ? "a quoted value is never closed, so the rest of the file was read as one value"
    : "a quoted value is followed by text before the next delimiter";
}

/**
 * Counts line breaks the way text editors do (\r\n, \n or a lone \r), so reported lines match what
 * the user sees. Offsets only move forward, so a whole file costs one pass.
 */
function createLineCounter(text: string, firstLineNumber: number): (offset: number) => number {
  let position = 0;
  let line = firstLineNumber;
  return (offset) => {
    for (; position < offset; position++) {
      const char = text.charCodeAt(position);
      // A \r\n pair is counted at its \r: with mixed endings papaparse may split a record at the
      // \r alone, and the record after it must still land on the next line.
      if (char === 13 || (char === 10 && text.charCodeAt(position - 1) !== 13)) line++;
    }
    return line;
  };
}

/** Trimmed headers; blanks become "Column N" and repeats get "_1", "_2" (as papaparse names them). */
function uniqueHeaders(raw: string[]): string[] {
  const used = new Set<string>();
  return raw.map((header, index) => {
    const base = header.trim() || `Column ${index + 1}`;
    let name = base;
    for (let n = 1; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}
