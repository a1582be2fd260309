import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import Papa from "papaparse";
import { suppressions } from "../../../drizzle/schema";
import { CHANNELS, SUPPRESSION_KINDS } from "../../../drizzle/schema/enums";
import { newId } from "../../db/ids";
import { normaliseEmail, normaliseTelegramUsername } from "../../domain/lead-import/contact-fields";
import { createPhoneNormaliser, toPhoneRegion } from "../../domain/lead-import/phone";
import { AppError } from "../../errors";
import { crudRoutes } from "../crud";
import { createRouter } from "../router";
import { COMMON_ERRORS, iso, jsonResponse, Timestamp } from "../shared";
import { readCsv } from "./csv-body";

const Suppression = z
  .object({ id: z.string(), value: z.string(), kind: z.enum(SUPPRESSION_KINDS), channel: z.enum(CHANNELS).nullable(), reason: z.string().nullable(), createdAt: Timestamp })
  .openapi("Suppression");

const SuppressionCreate = z.strictObject({
  value: z.string().trim().min(1).max(320).openapi({ description: "A phone number, email or Telegram username; the lead is suppressed on every channel", example: "olena@example.com" }),
  kind: z.enum(SUPPRESSION_KINDS).default("manual"),
  reason: z.string().trim().max(500).nullable().optional(),
});
const SuppressionPatch = z.strictObject({ reason: z.string().trim().max(500).nullable() });

type Row = typeof suppressions.$inferSelect;
const toApi = (r: Row) => ({ id: r.id, value: r.value, kind: r.kind, channel: r.channel, reason: r.reason, createdAt: iso(r.createdAt)! });

/** Reads a contact the way leads store it, so a suppression matches the lead it names. */
export function normaliseContactValue(raw: string, region: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim();
  if (value.includes("@") && !value.startsWith("@")) return normaliseEmail(value);
  if (/^[+(\d]/.test(value)) return createPhoneNormaliser(toPhoneRegion(region))(value);
  return normaliseTelegramUsername(value);
}

export const suppressionRoutes = crudRoutes({
  noun: "Suppression",
  tag: "Suppression list",
  path: "/suppressions",
  table: suppressions,
  idKind: "suppression",
  api: Suppression,
  create: SuppressionCreate,
  patch: SuppressionPatch,
  conflict: "This contact is already on the suppression list.",
  toApi,
  toInsert(input, { tenant }) {
    const parsed = normaliseContactValue(input.value, tenant.defaultRegion);
    if (!parsed.ok) throw new AppError("validation_failed", "Not a phone number, email or Telegram username.", [{ field: "body.value", message: parsed.message }]);
    return { ...input, value: parsed.value };
  },
  toUpdate: (input) => input,
});

const ImportResult = z.object({ added: z.number().int(), alreadyListed: z.number().int(), invalid: z.array(z.object({ line: z.number().int(), value: z.string(), message: z.string() })) });

/** Import and export as CSV (`value,kind,reason`), e.g. to carry a do-not-call list over. */
export function suppressionCsvRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/suppressions/export.csv", tags: ["Suppression list"], summary: "The whole suppression list as CSV", responses: { 200: { description: "value,kind,channel,reason,created_at", content: { "text/csv": { schema: z.string() } } }, ...COMMON_ERRORS } }),
      async (c) => {
        const rows = await c.get("db").select().from(suppressions).where(eq(suppressions.orgId, c.get("tenant").orgId)).orderBy(asc(suppressions.id));
        // escapeFormulae: a value like "=HYPERLINK(…)" must not run when the file is opened in a spreadsheet.
        const csv = Papa.unparse(rows.map((r) => ({ value: r.value, kind: r.kind, channel: r.channel ?? "", reason: r.reason ?? "", created_at: iso(r.createdAt) })), { escapeFormulae: true, columns: ["value", "kind", "channel", "reason", "created_at"] });
        return c.body(csv, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="suppressions.csv"' });
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/suppressions/import", tags: ["Suppression list"], summary: "Add contacts from a CSV with a `value` column (and optional `kind`, `reason`)", request: { body: { required: true, content: { "text/csv": { schema: z.string() } } } }, responses: { 200: jsonResponse(ImportResult, "What was added"), 415: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const tenant = c.get("tenant");
        const parsed = Papa.parse<Record<string, string>>((await readCsv(c)).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim().toLowerCase() });
        if (!parsed.meta.fields?.includes("value")) throw new AppError("validation_failed", "The CSV needs a 'value' column.", [{ field: "body", message: "missing value column" }]);
        const invalid: z.infer<typeof ImportResult>["invalid"] = [];
        const rows: (typeof suppressions.$inferInsert)[] = [];
        parsed.data.forEach((record, index) => {
          const raw = record.value ?? "";
          const contact = normaliseContactValue(raw, tenant.defaultRegion);
          const kind = SUPPRESSION_KINDS.find((k) => k === record.kind?.trim()) ?? "manual";
          if (!contact.ok) invalid.push({ line: index + 2, value: raw.slice(0, 100), message: contact.message });
          else rows.push({ id: newId("suppression"), orgId: tenant.orgId, value: contact.value, kind, reason: record.reason?.trim() || null });
        });
        let added = 0;
        const db = c.get("db");
        // Five columns a row: 16 rows stay under D1's 100 bound parameters; 50 statements a batch.
        const statements = [];
        for (let i = 0; i < rows.length; i += 16) statements.push(db.insert(suppressions).values(rows.slice(i, i + 16)).onConflictDoNothing().returning({ id: suppressions.id }));
        for (let i = 0; i < statements.length; i += 50) {
          const chunk = statements.slice(i, i + 50);
          for (const inserted of await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]])) added += inserted.length;
        }
        return c.json({ added, alreadyListed: rows.length - added, invalid }, 200);
      },
    );
}
