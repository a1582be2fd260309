import { z } from "@hono/zod-openapi";
import { eq, or, sql } from "drizzle-orm";
import { leads } from "../../../drizzle/schema";
import { LEAD_STATUSES } from "../../../drizzle/schema/enums";
import { crudRoutes } from "../crud";
import { iso, Timestamp } from "../shared";
import { normaliseContact, requireSomeContact } from "./lead-contact";

const Lead = z
  .object({
    id: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable().openapi({ description: "E.164" }),
    email: z.string().nullable(),
    telegramUsername: z.string().nullable(),
    company: z.string().nullable(),
    timezone: z.string().nullable(),
    status: z.enum(LEAD_STATUSES),
    notes: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Lead");

const text = (max: number) => z.string().trim().max(max).nullable();
const fields = {
  firstName: text(200),
  lastName: text(200),
  phone: text(40).openapi({ description: "Any common format; stored as E.164 using the org's default region", example: "+380 67 123 4567" }),
  email: text(320),
  telegramUsername: text(100).openapi({ example: "@olena_k" }),
  company: text(200),
  timezone: text(64).openapi({ description: "IANA zone, e.g. Europe/Kyiv" }),
  status: z.enum(LEAD_STATUSES),
  notes: text(2000),
  metadata: z.record(z.string().max(100), z.string().max(1000)).refine((m) => Object.keys(m).length <= 50, "at most 50 keys"),
};
const LeadCreate = z.strictObject(fields).partial();
const LeadPatch = LeadCreate;

type Row = typeof leads.$inferSelect;
const CONFLICT = "A lead with this phone, email or Telegram username already exists in the organization.";

/** `%`, `_` and `\` are literal in a search, not wildcards. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export const leadRoutes = crudRoutes({
  noun: "Lead",
  tag: "Leads",
  path: "/leads",
  table: leads,
  idKind: "lead",
  api: Lead,
  create: LeadCreate,
  patch: LeadPatch,
  conflict: CONFLICT,
  filter: {
    query: z.object({
      status: z.enum(LEAD_STATUSES).optional(),
      search: z.string().trim().min(1).max(100).optional().openapi({ description: "Matches name, phone, email, Telegram or company" }),
    }),
    where: (q) => {
      const pattern = q.search ? `%${escapeLike(q.search.toLowerCase())}%` : undefined;
      return [
        q.status ? eq(leads.status, q.status) : undefined,
        pattern
          ? or(...[leads.firstName, leads.lastName, leads.phone, leads.email, leads.telegramUsername, leads.company].map((col) => sql`${col} LIKE ${pattern} ESCAPE '\\'`))
          : undefined,
      ];
    },
  },
  toApi: (r: Row) => ({
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    phone: r.phone,
    email: r.email,
    telegramUsername: r.telegramUsername,
    company: r.company,
    timezone: r.timezone,
    status: r.status,
    notes: r.notes,
    metadata: r.metadata,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  }),
  toInsert(input, { tenant }) {
    const lead = normaliseContact(input, tenant.defaultRegion);
    requireSomeContact(lead);
    return lead;
  },
  toUpdate(input, { tenant }, current) {
    const changes = normaliseContact(input, tenant.defaultRegion);
    requireSomeContact({ ...current, ...changes });
    return changes;
  },
});
