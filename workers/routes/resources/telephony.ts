import { createRoute, z } from "@hono/zod-openapi";
import { count, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
import { phoneNumbers } from "../../../drizzle/schema";
import type { AppEnv } from "../../context";
import { newId } from "../../db/ids";
import { PLAN_LIMITS } from "../../domain/billing/plans";
import { AppError, notFound } from "../../errors";
import { requireRole } from "../../middleware/tenancy";
import { ProviderError } from "../../providers/ports";
import { voiceProviders, type VoiceProviders } from "../../providers/voice-registry";
import { createRouter } from "../router";
import { COMMON_ERRORS, jsonBody, jsonResponse } from "../shared";

const Voice = z.object({ id: z.string(), name: z.string(), languages: z.array(z.string()), gender: z.string().nullable(), previewUrl: z.string().nullable() }).openapi("Voice");
const SampleRequest = z.strictObject({ text: z.string().trim().min(1).max(300).optional(), language: z.enum(["uk", "en", "uk-en", "de", "pl", "fr", "es"]).default("uk") });
const Available = z.object({ number: z.string(), locality: z.string().nullable(), region: z.string().nullable() }).openapi("AvailableNumber");
const SearchQuery = z.object({ country: z.string().regex(/^[A-Z]{2}$/).default("US"), areaCode: z.string().regex(/^\d{2,5}$/).optional(), contains: z.string().regex(/^[0-9A-Za-z*]{1,16}$/).optional(), pageSize: z.coerce.number().int().min(1).max(30).default(10).openapi({ description: "How many numbers to offer (Twilio's PageSize); a search, not a paged list" }) });
const Buy = z.strictObject({ number: z.string().regex(/^\+[1-9]\d{6,14}$/, "E.164, as the search returned it"), label: z.string().trim().max(100).optional() });
const AccountNumber = z.object({ number: z.string(), friendlyName: z.string().nullable(), assigned: z.enum(["this_org", "another_org", "free"]).openapi({ description: "free numbers can be given to this org with POST /phone-numbers" }) }).openapi("AccountNumber");
const Bought = z.object({ id: z.string(), number: z.string(), label: z.string().nullable(), provider: z.literal("twilio"), status: z.literal("active") }).openapi("BoughtNumber");

const SAMPLE_TEXT: Record<string, string> = {
  uk: "Добрий день! Я ваш асистент зі штучним інтелектом. Чим можу допомогти?",
  "uk-en": "Добрий день! Я ваш AI assistant. Чим можу допомогти?",
  en: "Hello! I'm your AI assistant. How can I help you today?",
  de: "Guten Tag! Ich bin Ihr KI-Assistent. Wie kann ich helfen?",
  pl: "Dzień dobry! Jestem twoim asystentem AI. W czym mogę pomóc?",
  fr: "Bonjour ! Je suis votre assistant IA. Comment puis-je vous aider ?",
  es: "¡Hola! Soy su asistente de IA. ¿En qué puedo ayudarle?",
};

function providersOf(c: Context<AppEnv>): VoiceProviders {
  const providers = voiceProviders(c.env);
  if (!providers) throw new AppError("conflict", "Voice is not configured on this server (TWILIO_*, DEEPGRAM_*, ELEVENLABS_*, OPENROUTER_API_KEY).");
  return providers;
}

/** A provider's refusal as our problem: its 4xx is the caller's to fix, the rest is upstream. */
async function upstream<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    if (error.status === 404) throw notFound(what);
    if (error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429) throw new AppError("validation_failed", `${what}: ${error.message}`);
    throw new AppError("upstream_failed", `${what}: the provider failed (${error.message}).`);
  }
}

/**
 * The voice picker (the account's ElevenLabs voices, a spoken sample), and the Twilio account's
 * numbers: list them, search and buy new ones into the org (free ones are assigned with POST /phone-numbers).
 */
export function telephonyRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/voices", tags: ["Voice"], summary: "The voices the agent can speak with", responses: { 200: jsonResponse(z.object({ items: z.array(Voice) }), "Voices"), 409: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => c.json({ items: await upstream("Voices", () => providersOf(c).catalog.voices()) }, 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/voices/{voiceId}/sample", tags: ["Voice"], summary: "A short spoken sample in this voice (MP3)", request: { params: z.object({ voiceId: z.string().regex(/^[A-Za-z0-9]{10,40}$/) }), body: jsonBody(SampleRequest) }, responses: { 200: { description: "MP3 audio", content: { "audio/mpeg": { schema: z.string().openapi({ format: "binary" }) } } }, 409: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const { language, text } = c.req.valid("json");
        const sample = await upstream("Voice", () => providersOf(c).catalog.sample(c.req.valid("param").voiceId, text ?? SAMPLE_TEXT[language]!, language));
        return c.body(sample.body, 200, { "content-type": sample.contentType, "cache-control": "private, max-age=3600" });
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/phone-numbers/available", tags: ["Phone numbers"], summary: "Numbers Twilio has for sale", request: { query: SearchQuery }, responses: { 200: jsonResponse(z.object({ items: z.array(Available) }), "Numbers to buy"), 409: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const query = c.req.valid("query");
        const items = await upstream("Number search", () => providersOf(c).telephony.searchNumbers({ country: query.country, limit: query.pageSize, ...(query.areaCode ? { areaCode: query.areaCode } : {}), ...(query.contains ? { contains: query.contains } : {}) }));
        return c.json({ items }, 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/phone-numbers/account", tags: ["Phone numbers"], summary: "The Twilio account's numbers, and whether this org has them", middleware: [requireRole("owner", "admin")], responses: { 200: jsonResponse(z.object({ items: z.array(AccountNumber) }), "The account's numbers"), 409: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const numbers = await upstream("Numbers", () => providersOf(c).telephony.listNumbers());
        // Which of them this org holds; another org's numbers show only as taken, never whose.
        const held = await c.get("db").select({ number: phoneNumbers.number, orgId: phoneNumbers.orgId }).from(phoneNumbers).where(inArray(phoneNumbers.number, numbers.map((n) => n.number).slice(0, 100)));
        const owner = new Map(held.map((h) => [h.number, h.orgId]));
        const { orgId } = c.get("tenant");
        const items = numbers.map((n) => ({ number: n.number, friendlyName: n.friendlyName, assigned: owner.get(n.number) === orgId ? ("this_org" as const) : owner.has(n.number) ? ("another_org" as const) : ("free" as const) }));
        return c.json({ items }, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/phone-numbers/buy", tags: ["Phone numbers"], summary: "Buy a number on the Twilio account and give it to this org", middleware: [requireRole("owner", "admin")], request: { body: jsonBody(Buy) }, responses: { 201: jsonResponse(Bought, "Bought and assigned"), 409: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const { number, label } = c.req.valid("json");
        const { orgId, plan } = c.get("tenant");
        const allowed = PLAN_LIMITS[plan].phoneNumbers;
        const [held] = await c.get("db").select({ n: count() }).from(phoneNumbers).where(eq(phoneNumbers.orgId, orgId));
        if (allowed !== null && (held?.n ?? 0) >= allowed) throw new AppError("conflict", `The ${plan} plan includes ${allowed} phone number${allowed === 1 ? "" : "s"}; upgrade to buy more.`);
        const [taken] = await c.get("db").select({ id: phoneNumbers.id }).from(phoneNumbers).where(eq(phoneNumbers.number, number)).limit(1);
        if (taken) throw new AppError("conflict", "This number already belongs to an organization.");
        const bought = await upstream("Number", () => providersOf(c).telephony.buyNumber(number));
        const id = newId("phoneNumber");
        const inserted = await c.get("db").insert(phoneNumbers).values({ id, orgId, number: bought.number, label: label ?? null, provider: "twilio", providerSid: bought.providerId, status: "active" }).onConflictDoNothing().returning({ id: phoneNumbers.id });
        if (inserted.length === 0) throw new AppError("conflict", "This number was assigned to another organization meanwhile.");
        return c.json({ id, number: bought.number, label: label ?? null, provider: "twilio" as const, status: "active" as const }, 201);
      },
    );
}
