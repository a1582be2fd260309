import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { suppressions } from "../../../drizzle/schema";
import type { Config, Env } from "../../env";
import { loadDemoSetup } from "../../db/demo-org";
import { hitRateLimit, refundRateLimit, sha256Hex } from "../../db/rate-limits";
import { createPhoneNormaliser, toPhoneRegion } from "../../domain/lead-import/phone";
import { secondsToNextUtcDay, utcDay } from "../../domain/rate-limit/daily-window";
import { briefFrom } from "../../domain/voice/call-brief";
import { placeCall } from "../../engine/place-call";
import { AppError } from "../../errors";
import { verifyTurnstile } from "../../providers/turnstile/verify";
import { voiceProviders } from "../../providers/voice-registry";
import { createRouter } from "../router";
import { jsonBody, jsonResponse, ProblemSchema } from "../shared";

/** Demo calls a visitor's address may start per UTC day, and calls one number may get. */
export const DEMO_CALLS_PER_IP = 3;
export const DEMO_CALLS_PER_NUMBER = 1;
/** A demo is a taste, not a meeting: the agent wraps up after two minutes. */
export const DEMO_MAX_SECONDS = 120;
/** When every demo line is busy, try again after about a call's length. */
const BUSY_RETRY_SECONDS = 60;

const DemoCall = z
  .strictObject({
    phone: z.string().trim().min(1).max(32).openapi({ description: "The visitor's number; national numbers are read in the server's default region", example: "+380671234567" }),
    // Turnstile tokens are at most 2048 characters.
    turnstileToken: z.string().max(2048).optional().openapi({ description: "The Turnstile widget's token; required when the server checks for bots" }),
  })
  .openapi("DemoCall");

const DemoCallPlaced = z.object({ callId: z.string(), status: z.literal("queued") }).openapi("DemoCallPlaced");
const DemoConfig = z.object({ enabled: z.boolean(), turnstileSiteKey: z.string().nullable() }).openapi("DemoConfig");

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

const notConfigured = () => new AppError("conflict", "The demo is not configured on this server.");

/** The demo needs its org, the voice providers and a public origin for Twilio's callbacks. */
function demoEnvironment(env: Env, config: Config) {
  const providers = voiceProviders(env);
  if (!config.DEMO_ORG_ID || !providers || !config.APP_URL) return null;
  return { orgId: config.DEMO_ORG_ID, providers, appUrl: config.APP_URL };
}

/**
 * The landing page's "call me" demo: a short call from the platform's demo org (`DEMO_ORG_ID`) to
 * the visitor's number. Public, so it is limited per address and per number per UTC day, behind a
 * Turnstile check when a secret is set, and it never shows the demo org's data.
 */
export function demoCallRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/demo/config", tags: ["Public"], summary: "Whether the demo call is on, and the Turnstile site key to render the widget with", responses: { 200: jsonResponse(DemoConfig, "The demo's settings") } }),
      async (c) => {
        const config = c.get("config");
        const demo = demoEnvironment(c.env, config);
        const enabled = demo !== null && (await loadDemoSetup(c.get("db"), demo.orgId)) !== null;
        // Without the secret nobody checks a token: no widget to show.
        const turnstileSiteKey = config.TURNSTILE_SECRET_KEY ? (config.TURNSTILE_SITE_KEY ?? null) : null;
        return c.json({ enabled, turnstileSiteKey }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/demo/call",
        tags: ["Public"],
        summary: "Call a visitor's number with the demo agent",
        request: { body: jsonBody(DemoCall) },
        responses: {
          202: jsonResponse(DemoCallPlaced, "Ringing"),
          403: problem("The bot check (Turnstile) failed or its token is missing"),
          409: problem("The demo is not configured, or the number asked not to be called"),
          422: problem("Not a phone number"),
          429: problem("Today's demo calls for this address or number are used up (see Retry-After)"),
          502: problem("Twilio or the bot check could not be reached"),
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const config = c.get("config");
        const db = c.get("db");
        const log = c.get("log");
        const demo = demoEnvironment(c.env, config);
        if (!demo) throw notConfigured();

        // Checked before the Turnstile token is spent, so a typo does not cost the visitor a new challenge.
        const phone = createPhoneNormaliser(toPhoneRegion(config.DEFAULT_PHONE_REGION))(body.phone);
        if (!phone.ok) throw new AppError("validation_failed", "That is not a phone number we can call.", [{ field: "body.phone", message: "not a valid phone number; write it with its country code, e.g. +380671234567" }]);
        const to = phone.value;

        const setup = await loadDemoSetup(db, demo.orgId);
        if (!setup) throw notConfigured();

        const ip = c.req.header("cf-connecting-ip") ?? "unknown";
        if (config.TURNSTILE_SECRET_KEY) {
          if (!body.turnstileToken) throw new AppError("forbidden", "Complete the bot check first.", [{ field: "body.turnstileToken", message: "required" }]);
          const verdict = await verifyTurnstile({ secret: config.TURNSTILE_SECRET_KEY, token: body.turnstileToken, remoteIp: ip === "unknown" ? undefined : ip, ...(config.TURNSTILE_VERIFY_URL ? { url: config.TURNSTILE_VERIFY_URL } : {}) }).catch((error: unknown) => {
            log.error("turnstile siteverify failed", { error: error instanceof Error ? error.message : String(error) });
            throw new AppError("upstream_failed", "The bot check could not be completed. Try again in a moment.");
          });
          if (!verdict.ok && verdict.ourFault) {
            log.error("turnstile refused our request", { errorCodes: verdict.errorCodes });
            throw new AppError("upstream_failed", "The bot check could not be completed. Try again in a moment.");
          }
          if (!verdict.ok) throw new AppError("forbidden", "The bot check failed or expired. Solve it again.", [{ field: "body.turnstileToken", message: verdict.errorCodes.join(", ") }]);
        }

        // Counted before the suppression check, so the list cannot be probed faster than the limits allow.
        const now = new Date();
        const day = utcDay(now);
        const retryAfter = { "Retry-After": String(secondsToNextUtcDay(now)) };
        const ipKey = `demo-call:ip:${await sha256Hex(ip)}`;
        const phoneKey = `demo-call:phone:${await sha256Hex(to)}`;
        if ((await hitRateLimit(db, ipKey, day)) > DEMO_CALLS_PER_IP) throw new AppError("rate_limited", `Demo calls are limited to ${DEMO_CALLS_PER_IP} a day from one address. Try again tomorrow.`, [], retryAfter);
        if ((await hitRateLimit(db, phoneKey, day)) > DEMO_CALLS_PER_NUMBER) throw new AppError("rate_limited", "This number already had its demo call today. Try again tomorrow.", [], retryAfter);
        const refund = () => Promise.all([refundRateLimit(db, ipKey, day), refundRateLimit(db, phoneKey, day)]);

        const [suppressed] = await db.select({ id: suppressions.id }).from(suppressions).where(and(eq(suppressions.orgId, setup.orgId), eq(suppressions.value, to))).limit(1);
        if (suppressed) throw new AppError("conflict", "This number asked not to be called.");

        const { voice, script } = setup;
        const placed = await placeCall(c.env, db, demo.providers, demo.appUrl, {
          orgId: setup.orgId,
          leadId: null,
          campaignId: null,
          step: null,
          from: setup.from,
          to,
          ...briefFrom({ voice, script, lead: null, orgName: setup.orgName }),
          voicemailMessage: setup.settings.voicemailMessage ?? null,
          maxConcurrent: setup.settings.maxConcurrentCalls,
          maxDurationSeconds: DEMO_MAX_SECONDS,
        });
        if (!placed.ok) {
          // Nothing rang: the visitor keeps today's call.
          await refund();
          if (placed.reason === "busy_org") throw new AppError("rate_limited", "Every demo line is busy. Try again in a minute.", [], { "Retry-After": String(BUSY_RETRY_SECONDS) });
          log.error("demo call not placed", { error: placed.error.message });
          throw new AppError("upstream_failed", "The call could not be placed. Try again later.");
        }
        log.info("demo call placed", { callId: placed.callId });
        return c.json({ callId: placed.callId, status: "queued" as const }, 202);
      },
    );
}
