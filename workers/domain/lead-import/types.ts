/** Lead fields a CSV column can fill. */
export const LEAD_FIELDS = [
  "firstName",
  "lastName",
  "phone",
  "email",
  "telegramUsername",
  "company",
  "timezone",
  "notes",
] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

/**
 * Where a column goes. Besides the lead fields: "fullName" is split into first and last name,
 * "metadata" keeps the value under the column's header, "ignore" drops it.
 */
export const COLUMN_TARGETS = [...LEAD_FIELDS, "fullName", "metadata", "ignore"] as const;
export type ColumnTarget = (typeof COLUMN_TARGETS)[number];

/** What a user chose in the import dialog: CSV header as written in the file → target. */
export type HeaderMapping = Partial<Record<string, ColumnTarget>>;

export interface ImportedLead {
  /** Line of the file where this record starts (1-based, true even after multi-line quoted fields). */
  line: number;
  firstName: string | null;
  lastName: string | null;
  /** E.164, e.g. "+380671234567". */
  phone: string | null;
  /** Lowercased. */
  email: string | null;
  /** Lowercased, without "@". */
  telegramUsername: string | null;
  company: string | null;
  /** An IANA zone name as the runtime spells it, e.g. "America/New_York". */
  timezone: string | null;
  notes: string | null;
  /** Non-empty values of columns mapped to "metadata", keyed by header. */
  metadata: Record<string, string>;
}

export interface RowError {
  line: number;
  /** "row" for problems with the whole record, or with the header/mapping (then line is the header's). */
  field: LeadField | "row";
  value?: string;
  message: string;
}

export type ContactKey = "phone" | "email" | "telegramUsername";

export interface DuplicateInFile {
  line: number;
  duplicateOfLine: number;
  key: ContactKey;
}

export interface ParsedLeadFile {
  /** Headers as used in `mapping` and `metadata`: trimmed, blanks named "Column N", repeats suffixed "_1". */
  headers: string[];
  /** Line of the header row. Errors on this line concern the file or mapping, not a data row. */
  headerLine: number;
  mapping: Record<string, ColumnTarget>;
  leads: ImportedLead[];
  errors: RowError[];
  duplicatesInFile: DuplicateInFile[];
  /**
   * Non-blank data rows. Each one is in exactly one of: leads, duplicatesInFile, or errors
   * (a rejected row may have several errors, all on its line).
   */
  totalRows: number;
}

export interface ParseLeadCsvOptions {
  /** ISO 3166-1 alpha-2 region for numbers written without a country code, e.g. "UA". */
  defaultRegion: string;
  mapping?: HeaderMapping;
  /**
   * Line number of the first line of `csvText` in the original file (default 1). A caller that
   * splits a big file into header + slice of rows passes the slice's start line minus one.
   */
  firstLineNumber?: number;
}
