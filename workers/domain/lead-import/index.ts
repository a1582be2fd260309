// Pure lead-import logic: CSV text in, normalised leads and a per-row report out. No bindings or I/O,
// so the route decides about chunking, deduplication against the database and inserting.
export { parseLeadCsv } from "./parse-lead-csv";
export { suggestHeaderMapping, headerMappingSchema } from "./header-mapping";
export { serializeErrorReportCsv } from "./error-report";
export { LEAD_FIELDS, COLUMN_TARGETS } from "./types";
export type {
  ColumnTarget,
  ContactKey,
  DuplicateInFile,
  HeaderMapping,
  ImportedLead,
  LeadField,
  ParsedLeadFile,
  ParseLeadCsvOptions,
  RowError,
} from "./types";
