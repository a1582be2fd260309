import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { deadLetters } from "../../../drizzle/schema";
import { createRouter } from "../router";
import { COMMON_ERRORS, decodeCursor, iso, jsonResponse, listOf, PageQuery, Timestamp, toPage } from "../shared";

const DeadLetter = z
  .object({ id: z.string(), campaignId: z.string().nullable(), leadId: z.string().nullable(), error: z.string().nullable(), attempts: z.number().int(), body: z.unknown(), createdAt: Timestamp })
  .openapi("DeadLetter");

/** Sends the queue gave up on, newest first, each with its last error. */
export function deadLetterRoutes() {
  return createRouter().openapi(
    createRoute({ method: "get", path: "/dead-letters", tags: ["Campaigns"], summary: "Sends that failed after every retry", request: { query: PageQuery.extend({ campaignId: z.string().max(64).optional() }) }, responses: { 200: jsonResponse(listOf(DeadLetter), "Dead letters"), ...COMMON_ERRORS } }),
    async (c) => {
      const { cursor, limit, campaignId } = c.req.valid("query");
      const after = decodeCursor(cursor);
      const rows = await c.get("db").select().from(deadLetters)
        .where(and(eq(deadLetters.orgId, c.get("tenant").orgId), campaignId ? eq(deadLetters.campaignId, campaignId) : undefined, after ? lt(deadLetters.id, after) : undefined))
        .orderBy(desc(deadLetters.id)).limit(limit + 1);
      return c.json(toPage(rows, limit, (r) => ({ id: r.id, campaignId: r.campaignId, leadId: r.leadId, error: r.error, attempts: r.attempts, body: r.body, createdAt: iso(r.createdAt)! })), 200);
    },
  );
}
