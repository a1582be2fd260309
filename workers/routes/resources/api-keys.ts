import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { apiKeys } from "../../../drizzle/schema";
import { auditEntry } from "../../db/audit";
import { newId } from "../../db/ids";
import { issueApiKey } from "../../domain/secrets";
import { notFound } from "../../errors";
import { requireRole } from "../../middleware/tenancy";
import { COMMON_ERRORS, decodeCursor, IdParam, iso, jsonBody, jsonResponse, listOf, NON_BLANK, PageQuery, Timestamp, toPage } from "../shared";

const ApiKey = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), last4: z.string(), createdAt: Timestamp, lastUsedAt: Timestamp.nullable(), expiresAt: Timestamp.nullable() })
  .openapi("ApiKey");

const CreatedApiKey = ApiKey.extend({ key: z.string().openapi({ description: "The secret. Shown this once; store it now." }) }).openapi("CreatedApiKey");

const ApiKeyCreate = z.strictObject({
  name: NON_BLANK(100),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

type Row = typeof apiKeys.$inferSelect;
const toApi = (r: Row) => ({ id: r.id, name: r.name, prefix: r.prefix, last4: r.last4, createdAt: iso(r.createdAt)!, lastUsedAt: iso(r.lastUsedAt), expiresAt: iso(r.expiresAt) });

/** Keys are for owners and admins: a key acts with member rights, so it cannot mint more keys. */
export function apiKeyRoutes() {
  const guard = [requireRole("owner", "admin")];
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api-keys", tags: ["API keys"], summary: "List active API keys (prefix and last 4 only)", middleware: guard, request: { query: PageQuery }, responses: { 200: jsonResponse(listOf(ApiKey), "Active keys"), 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const { cursor, limit } = c.req.valid("query");
        const after = decodeCursor(cursor);
        const rows = await c.get("db").select().from(apiKeys)
          .where(and(eq(apiKeys.orgId, c.get("tenant").orgId), isNull(apiKeys.revokedAt), after ? lt(apiKeys.id, after) : undefined))
          .orderBy(desc(apiKeys.id)).limit(limit + 1);
        return c.json(toPage(rows, limit, toApi), 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/api-keys", tags: ["API keys"], summary: "Create an API key; the secret is returned once", middleware: guard, request: { body: jsonBody(ApiKeyCreate) }, responses: { 201: jsonResponse(CreatedApiKey, "The key, with its secret"), 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const body = c.req.valid("json");
        const issued = await issueApiKey();
        const principal = c.get("principal");
        const { orgId } = c.get("tenant");
        const db = c.get("db");
        const id = newId("apiKey");
        const [[row]] = await db.batch([db.insert(apiKeys).values({
          id,
          orgId,
          name: body.name,
          keyHash: issued.hash,
          prefix: issued.prefix,
          last4: issued.last4,
          createdBy: principal.kind === "user" ? principal.userId : null,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        }).returning(), auditEntry(db, orgId, principal, "api_key.created", { type: "api_key", id }, { name: body.name, prefix: issued.prefix })]);
        return c.json({ ...toApi(row!), key: issued.key }, 201);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: "/api-keys/{id}", tags: ["API keys"], summary: "Revoke an API key", middleware: guard, request: { params: IdParam }, responses: { 204: { description: "Revoked" }, 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const revoked = await c.get("db").update(apiKeys).set({ revokedAt: new Date() })
          .where(and(eq(apiKeys.id, c.req.valid("param").id), eq(apiKeys.orgId, c.get("tenant").orgId), isNull(apiKeys.revokedAt)))
          .returning({ id: apiKeys.id });
        if (revoked.length === 0) throw notFound("API key");
        await auditEntry(c.get("db"), c.get("tenant").orgId, c.get("principal"), "api_key.revoked", { type: "api_key", id: revoked[0]!.id });
        return c.body(null, 204);
      },
    );
}
