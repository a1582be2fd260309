import { z } from "zod";

/** Bindings as wrangler.toml declares them, plus the variables and secrets below. */
export interface Env {
  DB: D1Database;
  DISPATCH: Queue<unknown>;
  DISPATCH_DLQ: Queue<unknown>;
  CAMPAIGN_RUNNER: DurableObjectNamespace;
  CALL_SESSION: DurableObjectNamespace<import("../durable-objects/call-session/call-session").CallSession>;
  TELEGRAM_POOL: DurableObjectNamespace;
  PROVIDER_PACER: DurableObjectNamespace<import("../durable-objects/provider-pacer/provider-pacer").ProviderPacer>;
  ASSETS?: Fetcher;
  ENVIRONMENT?: string;
  DEFAULT_PHONE_REGION?: string;
  CLERK_JWT_KEY?: string;
  CLERK_SECRET_KEY?: string;
  CLERK_PUBLISHABLE_KEY?: string;
  CLERK_AUTHORIZED_PARTIES?: string;
  DEV_SESSION_SECRET?: string;
  LOG_LEVEL?: string;
  APP_URL?: string;
  EMAIL_FROM?: string;
  INBOUND_EMAIL_DOMAIN?: string;
  EMAIL_TOKEN_SECRET?: string;
  RESEND_API_KEY?: string;
  RESEND_BASE_URL?: string;
  RESEND_WEBHOOK_SECRET?: string;
  OPENROUTER_API_KEY?: string;
  LLM_BASE_URL?: string;
  LLM_MODEL?: string;
  EMAIL_SENDS_PER_SECOND?: string;
  VOICE_CALLS_PER_SECOND?: string;
  RETRY_BASE_SECONDS?: string;
  RESEND_TIMEOUT_MS?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_API_BASE_URL?: string;
  DEEPGRAM_API_KEY?: string;
  DEEPGRAM_BASE_URL?: string;
  ELEVENLABS_API_KEY?: string;
  ELEVENLABS_BASE_URL?: string;
  VOICE_LLM_MODEL?: string;
  TURNSTILE_SECRET_KEY?: string;
  TURNSTILE_VERIFY_URL?: string;
  TURNSTILE_SITE_KEY?: string;
  DEMO_ORG_ID?: string;
  TELEGRAM_POOL_URL?: string;
  TELEGRAM_POOL_SECRET?: string;
  TELEGRAM_SESSION_KEY?: string;
  TELEGRAM_GAP_SECONDS?: string;
}

const optionalText = z.string().trim().min(1).optional().catch(undefined);

/**
 * Variables parsed once per request. A malformed value fails fast with a clear message
 * (logged with the request id) instead of surfacing later as a confusing auth failure.
 */
export const ConfigSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "production"]).default("production"),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 region such as UA or US")
    .default("UA"),
  CLERK_JWT_KEY: optionalText,
  CLERK_PUBLISHABLE_KEY: optionalText,
  CLERK_AUTHORIZED_PARTIES: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : [])),
  DEV_SESSION_SECRET: optionalText,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  APP_URL: z.url().optional().catch(undefined),
  EMAIL_FROM: optionalText,
  INBOUND_EMAIL_DOMAIN: optionalText,
  EMAIL_TOKEN_SECRET: z.string().min(16).optional().catch(undefined),
  RESEND_API_KEY: optionalText,
  RESEND_BASE_URL: z.url().optional().catch(undefined),
  RESEND_WEBHOOK_SECRET: optionalText,
  OPENROUTER_API_KEY: optionalText,
  LLM_BASE_URL: z.url().optional().catch(undefined),
  LLM_MODEL: optionalText,
  RESEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional().catch(undefined),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, "a Twilio account SID, AC + 32 hex").optional(),
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_API_BASE_URL: z.url().optional().catch(undefined),
  DEEPGRAM_API_KEY: optionalText,
  /** ws(s):// or http(s)://; the adapter opens the socket with a fetch upgrade either way. */
  DEEPGRAM_BASE_URL: z.url().optional().catch(undefined),
  ELEVENLABS_API_KEY: optionalText,
  ELEVENLABS_BASE_URL: z.url().optional().catch(undefined),
  /** The chat model for calls: fast first tokens matter more here than in email. */
  VOICE_LLM_MODEL: optionalText,
  TURNSTILE_SECRET_KEY: optionalText,
  TURNSTILE_VERIFY_URL: z.url().optional().catch(undefined),
  /** Public: the landing page renders the widget with it (GET /api/demo/config). */
  TURNSTILE_SITE_KEY: optionalText,
  /** The platform's own org whose number, voice and "Demo" script place the public demo call. */
  DEMO_ORG_ID: optionalText,
  /** The Telegram pool's URL when it runs as a plain process (dev, tests); unset in production, where the Container binding reaches it. */
  TELEGRAM_POOL_URL: z.url().optional().catch(undefined),
  /** Shared with the pool container: signs requests both ways. */
  TELEGRAM_POOL_SECRET: z.string().min(16).optional().catch(undefined),
  /** 32 random bytes, base64: seals Telegram sessions in D1 (AES-256-GCM). */
  TELEGRAM_SESSION_KEY: optionalText,
});

export type Config = z.infer<typeof ConfigSchema>;

export function parseConfig(env: Env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${fields}`);
  }
  return parsed.data;
}
