import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { leads, messages } from "../../../drizzle/schema";
import { CHANNELS, MESSAGE_DIRECTIONS, MESSAGE_STATUSES } from "../../../drizzle/schema/enums";
import { notFound } from "../../errors";
import { createRouter } from "../router";
import { COMMON_ERRORS, decodeCursor, IdParam, iso, jsonResponse, listOf, PageQuery, Timestamp, toPage } from "../shared";

const TimelineEntry = z
  .object({
    id: z.string(),
    channel: z.enum(CHANNELS),
    direction: z.enum(MESSAGE_DIRECTIONS),
    status: z.enum(MESSAGE_STATUSES),
    subject: z.string().nullable(),
    content: z.string().nullable(),
    campaignId: z.string().nullable(),
    parentId: z.string().nullable(),
    autoReply: z.boolean(),
    createdAt: Timestamp,
  })
  .openapi("TimelineEntry");

/** Everything sent to and received from one lead, on every channel, newest first. */
export function leadTimelineRoutes() {
  return createRouter().openapi(
    createRoute({ method: "get", path: "/leads/{id}/messages", tags: ["Leads"], summary: "The lead's timeline: messages and replies on every channel", request: { params: IdParam, query: PageQuery }, responses: { 200: jsonResponse(listOf(TimelineEntry), "Newest first"), ...COMMON_ERRORS } }),
    async (c) => {
      const { orgId } = c.get("tenant");
      const db = c.get("db");
      const { id } = c.req.valid("param");
      const [lead] = await db.select({ id: leads.id }).from(leads).where(and(eq(leads.id, id), eq(leads.orgId, orgId))).limit(1);
      if (!lead) throw notFound("Lead");
      const { cursor, limit } = c.req.valid("query");
      const after = decodeCursor(cursor);
      const rows = await db.select().from(messages).where(and(eq(messages.orgId, orgId), eq(messages.leadId, lead.id), after ? lt(messages.id, after) : undefined)).orderBy(desc(messages.id)).limit(limit + 1);
      return c.json(toPage(rows, limit, (m) => ({ id: m.id, channel: m.channel, direction: m.direction, status: m.status, subject: m.subject, content: m.content, campaignId: m.campaignId, parentId: m.parentId, autoReply: m.metadata.autoReply === true, createdAt: iso(m.createdAt)! })), 200);
    },
  );
}
