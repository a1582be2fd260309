import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { auditLog } from "../../../drizzle/schema";
import { requireRole } from "../../middleware/tenancy";
import { createRouter } from "../router";
import { COMMON_ERRORS, decodeCursor, iso, jsonResponse, listOf, PageQuery, Timestamp, toPage } from "../shared";

const AuditEntry = z
  .object({
    id: z.string(),
    action: z.string(),
    actorUserId: z.string().nullable(),
    actorApiKeyId: z.string().nullable(),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .openapi("AuditEntry");

/** Keys issued and revoked, roles changed, members removed, invitations: newest first. */
export function auditLogRoutes() {
  return createRouter().openapi(
    createRoute({ method: "get", path: "/audit-log", tags: ["Organization"], summary: "Security-relevant changes in the organization", middleware: [requireRole("owner", "admin")], request: { query: PageQuery }, responses: { 200: jsonResponse(listOf(AuditEntry), "Entries, newest first"), 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const after = decodeCursor(cursor);
      const rows = await c.get("db").select().from(auditLog)
        .where(and(eq(auditLog.orgId, c.get("tenant").orgId), after ? lt(auditLog.id, after) : undefined))
        .orderBy(desc(auditLog.id)).limit(limit + 1);
      return c.json(toPage(rows, limit, (r) => ({ id: r.id, action: r.action, actorUserId: r.actorUserId, actorApiKeyId: r.actorApiKeyId, resourceType: r.resourceType, resourceId: r.resourceId, metadata: r.metadata, createdAt: iso(r.createdAt)! })), 200);
    },
  );
}
