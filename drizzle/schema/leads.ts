import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, oneOf, updatedAt } from "./columns";
import { CHANNELS, IMPORT_STATUSES, LEAD_STATUSES, SUPPRESSION_KINDS } from "./enums";
import { organizations, users } from "./identity";

export const leads = sqliteTable(
  "leads",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** E.164. */
    phone: text("phone"),
    /** Lowercased. */
    email: text("email"),
    /** Lowercased, without "@". */
    telegramUsername: text("telegram_username"),
    company: text("company"),
    /** IANA zone; when null the engine derives it from the phone number. */
    timezone: text("timezone"),
    status: text("status", { enum: LEAD_STATUSES }).notNull().default("new"),
    notes: text("notes"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One lead per contact per org: imports and manual creates dedup on these.
    uniqueIndex("leads_org_phone_unique").on(t.orgId, t.phone),
    uniqueIndex("leads_org_email_unique").on(t.orgId, t.email),
    uniqueIndex("leads_org_telegram_unique").on(t.orgId, t.telegramUsername),
    index("leads_org_idx").on(t.orgId, t.id),
    index("leads_org_status_idx").on(t.orgId, t.status, t.id),
    oneOf("leads_status_check", t.status, LEAD_STATUSES),
  ],
);

export const leadImports = sqliteTable(
  "lead_imports",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("open"),
    expectedRows: integer("expected_rows"),
    /** Header mapping chosen in the import dialog, applied to every chunk. */
    mapping: text("mapping", { mode: "json" }).$type<Record<string, string>>(),
    /** First line numbers of chunks already applied, so a retried chunk upload is not counted twice. */
    chunksDone: text("chunks_done", { mode: "json" }).$type<number[]>().notNull().default(sql`'[]'`),
    processedRows: integer("processed_rows").notNull().default(0),
    imported: integer("imported").notNull().default(0),
    duplicates: integer("duplicates").notNull().default(0),
    invalid: integer("invalid").notNull().default(0),
    /** The first row errors, so the user can download a report after the upload. */
    errors: text("errors", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("lead_imports_org_idx").on(t.orgId, t.id),
    oneOf("lead_imports_status_check", t.status, IMPORT_STATUSES),
  ],
);

export const suppressions = sqliteTable(
  "suppressions",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: SUPPRESSION_KINDS }).notNull(),
    /** The channel it was recorded on; the suppression applies to every channel. */
    channel: text("channel", { enum: CHANNELS }),
    /** A normalised contact: E.164 phone, lowercased email or Telegram username. */
    value: text("value").notNull(),
    leadId: text("lead_id").references(() => leads.id, { onDelete: "set null" }),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("suppressions_org_value_unique").on(t.orgId, t.value),
    index("suppressions_org_idx").on(t.orgId, t.id),
    oneOf("suppressions_kind_check", t.kind, SUPPRESSION_KINDS),
  ],
);
