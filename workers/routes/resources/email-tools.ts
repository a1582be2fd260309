import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { channelConfigs, leads, scripts, voiceConfigs } from "../../../drizzle/schema";
import type { AppEnv } from "../../context";
import { remaining } from "../../domain/billing/plans";
import { composeOutboundEmail } from "../../domain/email";
import { incrementUsage, readUsage } from "../../db/usage";
import { senderOf } from "../../engine/channels/email-channel";
import { AppError, notFound } from "../../errors";
import { ProviderError, type EmailBrief } from "../../providers/ports";
import { emailProviders, type EmailProviders } from "../../providers/registry";
import { createRouter } from "../router";
import { COMMON_ERRORS, jsonBody, jsonResponse } from "../shared";

const Generate = z.strictObject({
  kind: z.enum(["initial", "followup", "final"]),
  leadId: z.string().max(64).optional(),
  scriptId: z.string().max(64).optional(),
  voiceConfigId: z.string().max(64).optional(),
});
const Draft = z.object({ subject: z.string(), text: z.string(), source: z.enum(["llm", "fallback"]) }).openapi("EmailDraft");
const TestSend = Generate.omit({ leadId: true }).partial({ kind: true });
const TestSent = z.object({ to: z.string(), providerMessageId: z.string(), subject: z.string() });

function providersOf(c: Context<AppEnv>): EmailProviders {
  const providers = emailProviders(c.env);
  if (!providers) throw new AppError("conflict", "Email is not configured on this server (RESEND_API_KEY, OPENROUTER_API_KEY, EMAIL_TOKEN_SECRET, APP_URL).");
  return providers;
}

/** The brief for a lead (or a sample one), the org's own script and voice only: another org's id is not found. */
async function briefFor(c: Context<AppEnv>, input: z.infer<typeof Generate>, sample: { firstName: string | null }): Promise<EmailBrief> {
  const db = c.get("db");
  const { orgId, orgName } = c.get("tenant");
  const one = async <T,>(rows: Promise<T[]>, what: string, id: string | undefined) => {
    if (!id) return null;
    const [row] = await rows;
    if (!row) throw notFound(what);
    return row;
  };
  const [lead, script, voice, [config]] = await Promise.all([
    one(db.select().from(leads).where(and(eq(leads.id, input.leadId ?? ""), eq(leads.orgId, orgId))).limit(1), "Lead", input.leadId),
    one(db.select().from(scripts).where(and(eq(scripts.id, input.scriptId ?? ""), eq(scripts.orgId, orgId))).limit(1), "Script", input.scriptId),
    one(db.select().from(voiceConfigs).where(and(eq(voiceConfigs.id, input.voiceConfigId ?? ""), eq(voiceConfigs.orgId, orgId))).limit(1), "Voice config", input.voiceConfigId),
    db.select().from(channelConfigs).where(and(eq(channelConfigs.orgId, orgId), eq(channelConfigs.channel, "email"))).limit(1),
  ]);
  return {
    kind: input.kind,
    language: voice?.language ?? "en",
    personality: voice?.personality ?? "professional",
    script: script ? { name: script.name, content: script.content, objectionHandlers: script.objectionHandlers } : null,
    lead: lead ? { firstName: lead.firstName, lastName: lead.lastName, company: lead.company } : { firstName: sample.firstName, lastName: null, company: null },
    sender: { name: senderOf(config?.config ?? null, "").name ?? orgName, company: orgName },
  };
}

/** What the seed's dashboard offers: draft an email to look at, and send a test to yourself (never to anyone else). */
export function emailToolRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "post", path: "/email/generate", tags: ["Email"], summary: "Draft an initial, follow-up or final email for a lead and script", request: { body: jsonBody(Generate) }, responses: { 200: jsonResponse(Draft, "The draft (written by the model, or the template when it failed)"), 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const providers = providersOf(c);
        const draft = await providers.writer.write(await briefFor(c, c.req.valid("json"), { firstName: "Olena" }));
        return c.json(draft, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/email/test", tags: ["Email"], summary: "Send a test email to the signed-in user's own address", request: { body: jsonBody(TestSend) }, responses: { 200: jsonResponse(TestSent, "Sent"), 403: COMMON_ERRORS[401], 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const principal = c.get("principal");
        if (principal.kind !== "user") throw new AppError("forbidden", "Test emails go to the signed-in user; an API key has no inbox.");
        if (!principal.email) throw new AppError("validation_failed", "Your account has no email address to send the test to.", [{ field: "user.email", message: "missing" }]);
        const providers = providersOf(c);
        const tenant = c.get("tenant");
        const now = new Date();
        if (remaining(tenant.plan, "emails", await readUsage(c.get("db"), tenant.orgId, "emails", now)) <= 0) throw new AppError("conflict", "This month's email limit is reached.");
        const body = c.req.valid("json");
        const brief = await briefFor(c, { kind: body.kind ?? "initial", ...body }, { firstName: principal.name });
        const [config] = await c.get("db").select().from(channelConfigs).where(and(eq(channelConfigs.orgId, tenant.orgId), eq(channelConfigs.channel, "email"))).limit(1);
        const draft = await providers.writer.write(brief);
        const email = composeOutboundEmail({ draft: { ...draft, subject: `[Test] ${draft.subject}` }, from: senderOf(config?.config ?? null, providers.defaultFrom).from, to: principal.email, language: brief.language, unsubscribe: { url: `${providers.appUrl}/api/unsubscribe/test-preview` } });
        try {
          const { providerMessageId } = await providers.sender.send(email, `test:${crypto.randomUUID()}`);
          await incrementUsage(c.env.DB, tenant.orgId, "emails", 1, now).run();
          return c.json({ to: principal.email, providerMessageId, subject: email.subject }, 200);
        } catch (error) {
          if (error instanceof ProviderError) throw new AppError("conflict", `The email provider refused the test: ${error.message}`);
          throw error;
        }
      },
    );
}
