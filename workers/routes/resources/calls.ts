import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import { callLogs, channelConfigs, leads, phoneNumbers, scripts, suppressions, voiceConfigs } from "../../../drizzle/schema";
import { CALL_STATUSES, SENTIMENTS } from "../../../drizzle/schema/enums";
import { remaining } from "../../domain/billing/plans";
import { readUsage } from "../../db/usage";
import { createPhoneNormaliser, toPhoneRegion } from "../../domain/lead-import/phone";
import { VoiceSettings } from "../../domain/voice/voice-settings";
import { briefFrom } from "../../domain/voice/call-brief";
import { placeCall } from "../../engine/place-call";
import { AppError, notFound } from "../../errors";
import { voiceProviders } from "../../providers/voice-registry";
import { createRouter } from "../router";
import { COMMON_ERRORS, decodeCursor, IdParam, iso, jsonBody, jsonResponse, listOf, PageQuery, Timestamp, toPage } from "../shared";

const TranscriptLine = z.object({ role: z.enum(["agent", "callee"]), text: z.string(), at: z.number() });
const Call = z
  .object({
    id: z.string(),
    leadId: z.string().nullable(),
    campaignId: z.string().nullable(),
    direction: z.enum(["outbound", "inbound"]),
    status: z.enum(CALL_STATUSES),
    fromNumber: z.string().nullable(),
    toNumber: z.string().nullable(),
    durationSeconds: z.number().int().nullable(),
    startedAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    outcome: z.string().nullable(),
    sentiment: z.enum(SENTIMENTS).nullable(),
    score: z.number().nullable(),
    summary: z.string().nullable(),
    costEstimateCents: z.number().int().nullable(),
    transcript: z.array(TranscriptLine),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .openapi("Call");

const TestCall = z
  .strictObject({
    leadId: z.string().max(64).optional().openapi({ description: "Call one of your leads…" }),
    to: z.string().max(32).optional().openapi({ description: "…or any number, e.g. your own phone to hear the agent", example: "+380671234567" }),
    scriptId: z.string().max(64).optional(),
    voiceConfigId: z.string().max(64).optional(),
    phoneNumberId: z.string().max(64).optional().openapi({ description: "Which of the org's numbers calls; the first active one when omitted" }),
  })
  .refine((b) => (b.leadId === undefined) !== (b.to === undefined), { message: "give either leadId or to", path: ["leadId"] })
  .openapi("TestCall");

const Placed = z.object({ id: z.string(), status: z.literal("queued"), providerCallId: z.string() }).openapi("PlacedCall");

type CallRow = typeof callLogs.$inferSelect;
const toApi = (r: CallRow) => ({
  id: r.id,
  leadId: r.leadId,
  campaignId: r.campaignId,
  direction: r.direction,
  status: r.status,
  fromNumber: r.fromNumber,
  toNumber: r.toNumber,
  durationSeconds: r.durationSeconds,
  startedAt: iso(r.startedAt),
  endedAt: iso(r.endedAt),
  outcome: r.outcome,
  sentiment: r.sentiment,
  score: r.score,
  summary: r.summary,
  costEstimateCents: r.costEstimateCents,
  transcript: r.transcript,
  metadata: r.metadata,
  createdAt: iso(r.createdAt)!,
});

/** Calls: place a test call from the dashboard, list the org's calls, read one with its transcript. */
export function callRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "post", path: "/calls", tags: ["Calls"], summary: "Place a call now: to a lead, or to a number of your own to hear the agent", request: { body: jsonBody(TestCall) }, responses: { 202: jsonResponse(Placed, "Ringing; the call's log fills in as it goes"), 409: COMMON_ERRORS[422], 429: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const body = c.req.valid("json");
        const tenant = c.get("tenant");
        const db = c.get("db");
        const providers = voiceProviders(c.env);
        const appUrl = c.get("config").APP_URL;
        if (!providers || !appUrl) throw new AppError("conflict", "Voice is not configured on this server (TWILIO_*, DEEPGRAM_*, ELEVENLABS_*, OPENROUTER_API_KEY, APP_URL).");
        const one = async <T,>(rows: Promise<T[]>, what: string): Promise<T> => {
          const [row] = await rows;
          if (!row) throw notFound(what);
          return row;
        };
        const lead = body.leadId ? await one(db.select().from(leads).where(and(eq(leads.id, body.leadId), eq(leads.orgId, tenant.orgId))).limit(1), "Lead") : null;
        const to = e164(lead ? lead.phone : (body.to ?? null), tenant.defaultRegion);
        if (!to) throw new AppError("validation_failed", "There is no valid phone number to call.", [{ field: lead ? "body.leadId" : "body.to", message: lead ? "the lead has no phone number" : "not a phone number" }]);
        const [suppressed] = await db.select({ id: suppressions.id }).from(suppressions).where(and(eq(suppressions.orgId, tenant.orgId), eq(suppressions.value, to))).limit(1);
        if (suppressed) throw new AppError("conflict", "This number is on your suppression list: it asked not to be contacted.");
        if (remaining(tenant.plan, "voice_seconds", await readUsage(db, tenant.orgId, "voice_seconds", new Date())) <= 0) throw new AppError("conflict", "This month's voice minutes are used up. Upgrade the plan to call again.");

        const from = await one(db.select().from(phoneNumbers).where(and(eq(phoneNumbers.orgId, tenant.orgId), eq(phoneNumbers.status, "active"), body.phoneNumberId ? eq(phoneNumbers.id, body.phoneNumberId) : undefined)).orderBy(asc(phoneNumbers.id)).limit(1), "Phone number");
        const voice = await one(db.select().from(voiceConfigs).where(and(eq(voiceConfigs.orgId, tenant.orgId), body.voiceConfigId ? eq(voiceConfigs.id, body.voiceConfigId) : undefined)).orderBy(asc(voiceConfigs.id)).limit(1), "Voice config");
        const script = body.scriptId ? await one(db.select().from(scripts).where(and(eq(scripts.id, body.scriptId), eq(scripts.orgId, tenant.orgId))).limit(1), "Script") : null;
        const [channel] = await db.select().from(channelConfigs).where(and(eq(channelConfigs.orgId, tenant.orgId), eq(channelConfigs.channel, "voice"))).limit(1);
        const settings = VoiceSettings.parse(channel?.config ?? {});

        const placed = await placeCall(c.env, db, providers, appUrl, {
          orgId: tenant.orgId,
          leadId: lead?.id ?? null,
          campaignId: null,
          step: null,
          from: { number: from.number, phoneNumberId: from.id },
          to,
          ...briefFrom({ voice, script, lead, orgName: tenant.orgName }),
          voicemailMessage: settings.voicemailMessage ?? null,
          maxConcurrent: settings.maxConcurrentCalls,
        });
        if (!placed.ok && placed.reason === "busy_org") throw new AppError("rate_limited", `Your org already has ${settings.maxConcurrentCalls} calls live; try again when one ends.`);
        if (!placed.ok) throw new AppError("upstream_failed", `Twilio did not place the call: ${placed.error.message}`);
        return c.json({ id: placed.callId, status: "queued" as const, providerCallId: placed.providerCallId }, 202);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/calls", tags: ["Calls"], summary: "The org's calls, newest first", request: { query: PageQuery.extend({ leadId: z.string().max(64).optional(), campaignId: z.string().max(64).optional() }) }, responses: { 200: jsonResponse(listOf(Call), "Calls"), ...COMMON_ERRORS } }),
      async (c) => {
        const { cursor, limit, leadId, campaignId } = c.req.valid("query");
        const after = decodeCursor(cursor);
        const rows = await c.get("db").select().from(callLogs)
          .where(and(eq(callLogs.orgId, c.get("tenant").orgId), leadId ? eq(callLogs.leadId, leadId) : undefined, campaignId ? eq(callLogs.campaignId, campaignId) : undefined, after ? lt(callLogs.id, after) : undefined))
          .orderBy(desc(callLogs.id)).limit(limit + 1);
        return c.json(toPage(rows, limit, toApi), 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/calls/{id}", tags: ["Calls"], summary: "One call with its transcript", request: { params: IdParam }, responses: { 200: jsonResponse(Call, "The call"), ...COMMON_ERRORS } }),
      async (c) => {
        const [row] = await c.get("db").select().from(callLogs).where(and(eq(callLogs.id, c.req.valid("param").id), eq(callLogs.orgId, c.get("tenant").orgId))).limit(1);
        if (!row) throw notFound("Call");
        return c.json(toApi(row), 200);
      },
    );
}

/** The number in E.164, read as the lead import reads numbers (the org's region for national ones). */
function e164(phone: string | null, region: string): string | null {
  if (!phone) return null;
  const result = createPhoneNormaliser(toPhoneRegion(region))(phone);
  return result.ok ? result.value : null;
}

