import { z } from "zod";

/** Bindings as wrangler.toml declares them, plus the variables and secrets below. */
export interface Env {
  DB: D1Database;
  DISPATCH: Queue<unknown>;
  DISPATCH_DLQ: Queue<unknown>;
  CAMPAIGN_RUNNER: DurableObjectNamespace;
  CALL_SESSION: DurableObjectNamespace;
  TELEGRAM_POOL: DurableObjectNamespace;
  ASSETS?: Fetcher;
  ENVIRONMENT?: string;
  DEFAULT_PHONE_REGION?: string;
  CLERK_JWT_KEY?: string;
  CLERK_SECRET_KEY?: string;
  CLERK_PUBLISHABLE_KEY?: string;
  CLERK_AUTHORIZED_PARTIES?: string;
  DEV_SESSION_SECRET?: string;
  LOG_LEVEL?: string;
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
