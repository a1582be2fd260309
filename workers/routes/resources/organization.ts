import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { eq } from "drizzle-orm";
import { organizations } from "../../../drizzle/schema";
import { ORG_ROLES, PLANS } from "../../../drizzle/schema/enums";
import { auditEntry } from "../../db/audit";
import { listMemberships } from "../../db/provision";
import { requireRole } from "../../middleware/tenancy";
import { COMMON_ERRORS, jsonBody, jsonResponse, NON_BLANK } from "../shared";

const Org = z
  .object({ id: z.string(), name: z.string(), plan: z.enum(PLANS), defaultRegion: z.string(), role: z.enum(ORG_ROLES) })
  .openapi("Organization");

const ContactPolicy = z.object({ maxTouchesPerDay: z.number().int(), maxTouchesPerWeek: z.number().int() }).openapi("ContactPolicy");

const Me = z
  .object({
    user: z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() }).nullable(),
    apiKeyId: z.string().nullable(),
    org: Org,
    memberships: z.array(Org),
  })
  .openapi("Me");

const OrgPatch = z.strictObject({
  name: NON_BLANK(200),
  defaultRegion: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 region such as UA"),
  // One contact policy across channels: how often any one lead may be touched.
  maxTouchesPerDay: z.number().int().min(1).max(20),
  maxTouchesPerWeek: z.number().int().min(1).max(50),
}).partial();

export function organizationRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/me", tags: ["Organization"], summary: "Who is signed in, and in which organization", responses: { 200: jsonResponse(Me, "The caller"), ...COMMON_ERRORS } }),
      async (c) => {
        const principal = c.get("principal");
        const tenant = c.get("tenant");
        const org = { id: tenant.orgId, name: tenant.orgName, plan: tenant.plan, defaultRegion: tenant.defaultRegion, role: tenant.role };
        if (principal.kind === "api_key") return c.json({ user: null, apiKeyId: principal.apiKeyId, org, memberships: [org] }, 200);
        const memberships = (await listMemberships(c.get("db"), principal.userId)).map((m) => ({ id: m.orgId, name: m.orgName, plan: m.plan, defaultRegion: m.defaultRegion, role: m.role }));
        return c.json({ user: { id: principal.userId, email: principal.email, name: principal.name }, apiKeyId: null, org, memberships }, 200);
      },
    )
    .openapi(
      createRoute({ method: "patch", path: "/org", tags: ["Organization"], summary: "Rename the organization, change its default phone region or its contact policy", middleware: [requireRole("owner", "admin")], request: { body: jsonBody(OrgPatch) }, responses: { 200: jsonResponse(Org.extend({ contactPolicy: ContactPolicy }), "The organization"), ...COMMON_ERRORS } }),
      async (c) => {
        const tenant = c.get("tenant");
        const db = c.get("db");
        const changes = c.req.valid("json");
        const [[row]] = await db.batch([
          db.update(organizations).set({ ...changes, updatedAt: new Date() }).where(eq(organizations.id, tenant.orgId)).returning(),
          auditEntry(db, tenant.orgId, c.get("principal"), "org.updated", { type: "organization", id: tenant.orgId }, changes),
        ]);
        return c.json({ id: row!.id, name: row!.name, plan: row!.plan, defaultRegion: row!.defaultRegion, role: tenant.role, contactPolicy: { maxTouchesPerDay: row!.maxTouchesPerDay, maxTouchesPerWeek: row!.maxTouchesPerWeek } }, 200);
      },
    );
}
