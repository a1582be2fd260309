import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import { leadImports } from "../../../drizzle/schema";
import { IMPORT_STATUSES } from "../../../drizzle/schema/enums";
import type { AppEnv } from "../../context";
import { newId } from "../../db/ids";
import { insertLeads } from "../../db/lead-writer";
import { headerMappingSchema, parseLeadCsv, serializeErrorReportCsv, type RowError } from "../../domain/lead-import";
import { AppError, notFound } from "../../errors";
import { readCsv } from "./csv-body";
import { COMMON_ERRORS, decodeCursor, IdParam, iso, jsonBody, jsonResponse, listOf, PageQuery, Timestamp, toPage } from "../shared";

/** One request parses, checks and writes at most this many rows, well inside a Worker's CPU and memory. */
export const MAX_ROWS_PER_REQUEST = 10_000;
/** Errors kept with an import for the downloadable report. */
const STORED_ERRORS = 1_000;

const RowErrorSchema = z.object({ line: z.number().int(), field: z.string(), value: z.string().optional(), message: z.string() }).openapi("ImportRowError");
const DuplicateRow = z.object({ line: z.number().int(), reason: z.enum(["in_file", "existing_lead"]), duplicateOfLine: z.number().int().optional() });

const LeadImport = z
  .object({ id: z.string(), fileName: z.string(), status: z.enum(IMPORT_STATUSES), expectedRows: z.number().int().nullable(), processedRows: z.number().int(), imported: z.number().int(), duplicates: z.number().int(), invalid: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi("LeadImport");

const ChunkResult = z
  .object({ import: LeadImport, chunk: z.object({ totalRows: z.number().int(), imported: z.number().int(), duplicates: z.number().int(), invalid: z.number().int(), errors: z.array(RowErrorSchema), duplicateRows: z.array(DuplicateRow), alreadyApplied: z.boolean() }) })
  .openapi("LeadImportChunkResult");

const ImportQuery = z.object({
  mapping: z.string().max(10_000).optional().openapi({ description: 'JSON object: CSV header → field, e.g. {"Mobile":"phone","Ім\'я":"firstName"}. Omit to map headers automatically.' }),
  fileName: z.string().max(200).optional(),
});
const ChunkQuery = z.object({ firstLine: z.coerce.number().int().min(1).default(1).openapi({ description: "Line of this chunk's header row in the original file, so errors name true lines" }) });
const ImportCreate = z.strictObject({ fileName: z.string().trim().min(1).max(200), expectedRows: z.number().int().min(0).max(10_000_000).optional(), mapping: headerMappingSchema.optional() });

type Row = typeof leadImports.$inferSelect;
const toApi = (r: Row) => ({ id: r.id, fileName: r.fileName, status: r.status, expectedRows: r.expectedRows, processedRows: r.processedRows, imported: r.imported, duplicates: r.duplicates, invalid: r.invalid, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! });

const CSV_BODY = {
  required: true,
  content: {
    "text/csv": { schema: z.string().openapi({ description: "The CSV file (or chunk) with its header row" }) },
    // A plain schema object, not zod: the file is read by the handler, not by the form validator.
    "multipart/form-data": { schema: { type: "object" as const, properties: { file: { type: "string" as const, format: "binary" } }, required: ["file"] } },
  },
};


function parseMapping(raw: string | undefined) {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("validation_failed", "mapping must be a JSON object.", [{ field: "query.mapping", message: "not JSON" }]);
  }
  const parsed = headerMappingSchema.safeParse(json);
  if (!parsed.success) throw new AppError("validation_failed", "mapping names a field leads do not have.", parsed.error.issues.map((i) => ({ field: `query.mapping.${i.path.join(".")}`, message: i.message })));
  return parsed.data;
}

/** Parse, dedupe against the org, write, and fold the counts into the import's totals. */
async function applyChunk(c: Context<AppEnv>, job: Row, csv: string, firstLine: number) {
  if (job.chunksDone.includes(firstLine)) {
    return { import: toApi(job), chunk: { totalRows: 0, imported: 0, duplicates: 0, invalid: 0, errors: [], duplicateRows: [], alreadyApplied: true } };
  }
  const tenant = c.get("tenant");
  const parsed = parseLeadCsv(csv, { defaultRegion: tenant.defaultRegion, mapping: job.mapping ? headerMappingSchema.parse(job.mapping) : undefined, firstLineNumber: firstLine });
  if (parsed.totalRows > MAX_ROWS_PER_REQUEST) {
    throw new AppError("payload_too_large", `A request may carry at most ${MAX_ROWS_PER_REQUEST} rows; this one has ${parsed.totalRows}. Upload the file in chunks through /lead-imports.`);
  }
  const written = await insertLeads(c.get("db"), tenant.orgId, parsed.leads);
  const invalidLines = new Set(parsed.errors.filter((e) => e.line !== parsed.headerLine).map((e) => e.line));
  const duplicateRows = [
    ...parsed.duplicatesInFile.map((d) => ({ line: d.line, reason: "in_file" as const, duplicateOfLine: d.duplicateOfLine })),
    ...written.existingLines.map((line) => ({ line, reason: "existing_lead" as const })),
  ].sort((a, b) => a.line - b.line);
  const chunk = { totalRows: parsed.totalRows, imported: written.inserted.length, duplicates: duplicateRows.length, invalid: invalidLines.size, errors: parsed.errors, duplicateRows, alreadyApplied: false };
  // Counters are incremented in SQL so concurrent chunks add up; the error sample is best effort.
  const keptErrors: RowError[] = [...(job.errors as RowError[]), ...parsed.errors].slice(0, STORED_ERRORS);
  const [updated] = await c.get("db").update(leadImports).set({
    processedRows: sql`${leadImports.processedRows} + ${chunk.totalRows}`,
    imported: sql`${leadImports.imported} + ${chunk.imported}`,
    duplicates: sql`${leadImports.duplicates} + ${chunk.duplicates}`,
    invalid: sql`${leadImports.invalid} + ${chunk.invalid}`,
    errors: keptErrors,
    chunksDone: sql`json_insert(${leadImports.chunksDone}, '$[#]', ${firstLine})`,
    updatedAt: new Date(),
  }).where(and(eq(leadImports.id, job.id), eq(leadImports.orgId, tenant.orgId))).returning();
  return { import: toApi(updated!), chunk };
}

async function loadJob(c: Context<AppEnv>, id: string): Promise<Row> {
  const [job] = await c.get("db").select().from(leadImports).where(and(eq(leadImports.id, id), eq(leadImports.orgId, c.get("tenant").orgId))).limit(1);
  if (!job) throw notFound("Lead import");
  return job;
}

async function createJob(c: Context<AppEnv>, values: { fileName: string; expectedRows?: number; mapping?: Record<string, string> }) {
  const principal = c.get("principal");
  const [job] = await c.get("db").insert(leadImports).values({
    id: newId("leadImport"),
    orgId: c.get("tenant").orgId,
    fileName: values.fileName,
    expectedRows: values.expectedRows ?? null,
    mapping: values.mapping ?? null,
    createdBy: principal.kind === "user" ? principal.userId : null,
  }).returning();
  return job!;
}

const completeJob = (c: Context<AppEnv>, id: string) =>
  c.get("db").update(leadImports).set({ status: "completed", updatedAt: new Date() }).where(and(eq(leadImports.id, id), eq(leadImports.orgId, c.get("tenant").orgId))).returning();

export function leadImportRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "post", path: "/leads/import", tags: ["Leads"], summary: `Import a CSV of up to ${MAX_ROWS_PER_REQUEST} leads in one request`, request: { query: ImportQuery, body: CSV_BODY }, responses: { 200: jsonResponse(ChunkResult, "What was imported, skipped as duplicate, or rejected (with line numbers)"), 413: COMMON_ERRORS[422], 415: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const query = c.req.valid("query");
        const mapping = parseMapping(query.mapping);
        const csv = await readCsv(c);
        const job = await createJob(c, { fileName: query.fileName ?? "upload.csv", mapping });
        const result = await applyChunk(c, job, csv, 1);
        const [done] = await completeJob(c, job.id);
        return c.json({ ...result, import: toApi(done!) }, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/lead-imports", tags: ["Leads"], summary: "Start a chunked import of a large file", request: { body: jsonBody(ImportCreate) }, responses: { 201: jsonResponse(LeadImport, "The import; send its chunks next"), ...COMMON_ERRORS } }),
      async (c) => c.json(toApi(await createJob(c, c.req.valid("json"))), 201),
    )
    .openapi(
      createRoute({ method: "get", path: "/lead-imports", tags: ["Leads"], summary: "Recent imports", request: { query: PageQuery }, responses: { 200: jsonResponse(listOf(LeadImport), "Imports, newest first"), ...COMMON_ERRORS } }),
      async (c) => {
        const { cursor, limit } = c.req.valid("query");
        const after = decodeCursor(cursor);
        const rows = await c.get("db").select().from(leadImports).where(and(eq(leadImports.orgId, c.get("tenant").orgId), after ? lt(leadImports.id, after) : undefined)).orderBy(desc(leadImports.id)).limit(limit + 1);
        return c.json(toPage(rows, limit, toApi), 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/lead-imports/{id}", tags: ["Leads"], summary: "Progress of an import", request: { params: IdParam }, responses: { 200: jsonResponse(LeadImport, "The import"), ...COMMON_ERRORS } }),
      async (c) => c.json(toApi(await loadJob(c, c.req.valid("param").id)), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/lead-imports/{id}/chunks", tags: ["Leads"], summary: `Upload one chunk (header row + up to ${MAX_ROWS_PER_REQUEST} rows); retrying a chunk is safe`, request: { params: IdParam, query: ChunkQuery, body: CSV_BODY }, responses: { 200: jsonResponse(ChunkResult, "The chunk's outcome and the import's running totals"), 409: COMMON_ERRORS[422], 413: COMMON_ERRORS[422], 415: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const job = await loadJob(c, c.req.valid("param").id);
        if (job.status !== "open") throw new AppError("conflict", "This import is already completed.");
        const csv = await readCsv(c);
        return c.json(await applyChunk(c, job, csv, c.req.valid("query").firstLine), 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/lead-imports/{id}/complete", tags: ["Leads"], summary: "Mark a chunked import as finished", request: { params: IdParam }, responses: { 200: jsonResponse(LeadImport, "The finished import"), ...COMMON_ERRORS } }),
      async (c) => {
        await loadJob(c, c.req.valid("param").id);
        const [done] = await completeJob(c, c.req.valid("param").id);
        return c.json(toApi(done!), 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/lead-imports/{id}/errors.csv", tags: ["Leads"], summary: "The rejected rows as a CSV report", request: { params: IdParam }, responses: { 200: { description: "line,field,value,message", content: { "text/csv": { schema: z.string() } } }, ...COMMON_ERRORS } }),
      async (c) => {
        const job = await loadJob(c, c.req.valid("param").id);
        return c.body(serializeErrorReportCsv(job.errors as RowError[]), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${job.id}-errors.csv"` });
      },
    );
}
