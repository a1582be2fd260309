import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { Context } from "hono";
import { campaignLeads, campaigns, leads } from "../../../drizzle/schema";
import { CAMPAIGN_LEAD_STATUSES, CHANNELS, LEAD_STATUSES } from "../../../drizzle/schema/enums";
import type { AppEnv } from "../../context";
import { AppError, notFound } from "../../errors";
import { COMMON_ERRORS, decodeCursor, IdParam, iso, jsonBody, jsonResponse, listOf, PageQuery, Timestamp, toPage } from "../shared";

const AssignedLead = z
  .object({
    id: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    telegramUsername: z.string().nullable(),
    company: z.string().nullable(),
    leadStatus: z.enum(LEAD_STATUSES),
    assignment: z.object({
      status: z.enum(CAMPAIGN_LEAD_STATUSES),
      step: z.number().int(),
      lastChannel: z.enum(CHANNELS).nullable(),
      lastError: z.string().nullable(),
      /** Why the lead waits or was skipped: quiet hours, a contact limit, suppression. */
      note: z.string().nullable(),
      nextAt: Timestamp.nullable(),
      addedAt: Timestamp,
    }),
  })
  .openapi("CampaignLead");

const LeadIds = z.strictObject({ leadIds: z.array(z.string().min(1).max(64)).min(1).max(1000) });
/** D1's bound-parameter cap: ids are checked and written in slices of this size. */
const SLICE = 90;
const CLOSED = ["completed", "cancelled"];

async function loadCampaign(c: Context<AppEnv>, id: string) {
  const [row] = await c.get("db").select({ id: campaigns.id, status: campaigns.status }).from(campaigns).where(and(eq(campaigns.id, id), eq(campaigns.orgId, c.get("tenant").orgId))).limit(1);
  if (!row) throw notFound("Campaign");
  return row;
}

function slices<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += SLICE) out.push(list.slice(i, i + SLICE));
  return out;
}

export function campaignLeadRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/campaigns/{id}/leads", tags: ["Campaigns"], summary: "Leads assigned to a campaign, with their progress in it", request: { params: IdParam, query: PageQuery }, responses: { 200: jsonResponse(listOf(AssignedLead), "Assigned leads"), ...COMMON_ERRORS } }),
      async (c) => {
        const campaign = await loadCampaign(c, c.req.valid("param").id);
        const { cursor, limit } = c.req.valid("query");
        const after = decodeCursor(cursor);
        const rows = await c.get("db")
          .select({ lead: leads, assignment: campaignLeads })
          .from(campaignLeads)
          .innerJoin(leads, and(eq(leads.id, campaignLeads.leadId), eq(leads.orgId, campaignLeads.orgId)))
          .where(and(eq(campaignLeads.campaignId, campaign.id), eq(campaignLeads.orgId, c.get("tenant").orgId), after ? lt(campaignLeads.leadId, after) : undefined))
          .orderBy(desc(campaignLeads.leadId))
          .limit(limit + 1);
        const page = toPage(rows.map((r) => ({ ...r, id: r.lead.id })), limit, ({ lead, assignment }) => ({
          id: lead.id, firstName: lead.firstName, lastName: lead.lastName, phone: lead.phone, email: lead.email, telegramUsername: lead.telegramUsername, company: lead.company, leadStatus: lead.status,
          assignment: { status: assignment.status, step: assignment.step, lastChannel: assignment.lastChannel, lastError: assignment.lastError, note: assignment.note, nextAt: iso(assignment.nextAt), addedAt: iso(assignment.addedAt)! },
        }));
        return c.json(page, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/campaigns/{id}/leads", tags: ["Campaigns"], summary: "Assign leads to a campaign (a lead may be in several campaigns)", request: { params: IdParam, body: jsonBody(LeadIds) }, responses: { 200: jsonResponse(z.object({ assigned: z.number().int(), alreadyAssigned: z.number().int(), notFound: z.array(z.string()) }), "What was assigned"), 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const campaign = await loadCampaign(c, c.req.valid("param").id);
        if (CLOSED.includes(campaign.status)) throw new AppError("conflict", `A ${campaign.status} campaign takes no more leads.`);
        const orgId = c.get("tenant").orgId;
        const db = c.get("db");
        const wanted = [...new Set(c.req.valid("json").leadIds)];
        let assigned = 0;
        const found = new Set<string>();
        for (const ids of slices(wanted)) {
          // Only the org's own leads: another org's id is reported as not found.
          const own = await db.select({ id: leads.id }).from(leads).where(and(eq(leads.orgId, orgId), inArray(leads.id, ids)));
          own.forEach((l) => found.add(l.id));
          if (own.length === 0) continue;
          // An assignment row binds 5 parameters (the rest are defaults): 16 rows a statement, one batch.
          const rows = own.map((l) => ({ campaignId: campaign.id, leadId: l.id, orgId }));
          const statements = [];
          for (let i = 0; i < rows.length; i += 16) statements.push(db.insert(campaignLeads).values(rows.slice(i, i + 16)).onConflictDoNothing().returning({ leadId: campaignLeads.leadId }));
          for (const inserted of await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]])) assigned += inserted.length;
        }
        return c.json({ assigned, alreadyAssigned: found.size - assigned, notFound: wanted.filter((id) => !found.has(id)) }, 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: "/campaigns/{id}/leads", tags: ["Campaigns"], summary: "Remove leads from a campaign", request: { params: IdParam, body: jsonBody(LeadIds) }, responses: { 200: jsonResponse(z.object({ removed: z.number().int() }), "How many were removed"), 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const campaign = await loadCampaign(c, c.req.valid("param").id);
        if (campaign.status === "active") throw new AppError("conflict", "Pause the campaign before removing leads from it.");
        let removed = 0;
        for (const ids of slices([...new Set(c.req.valid("json").leadIds)])) {
          const gone = await c.get("db").delete(campaignLeads).where(and(eq(campaignLeads.campaignId, campaign.id), eq(campaignLeads.orgId, c.get("tenant").orgId), inArray(campaignLeads.leadId, ids))).returning({ leadId: campaignLeads.leadId });
          removed += gone.length;
        }
        return c.json({ removed }, 200);
      },
    );
}
