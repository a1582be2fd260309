import { z } from "zod";
import type { TelegramPoolOptions } from "./index.ts";

/** The pool's environment, parsed once at start: a bad variable stops it with a clear message. */
const Env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    TELEGRAM_POOL_SECRET: z.string().min(16, "TELEGRAM_POOL_SECRET must be at least 16 characters"),
    TELEGRAM_BACKEND: z.enum(["gramjs", "sandbox"]).default("gramjs"),
    TELEGRAM_API_ID: z.coerce.number().int().positive().optional(),
    TELEGRAM_API_HASH: z.string().regex(/^[0-9a-f]{32}$/, "TELEGRAM_API_HASH is my.telegram.org's 32 hex characters").optional(),
    WORKER_URL: z.url().optional(),
    // setTimeout holds at most ~24.8 days; beyond that Node fires at once.
    TELEGRAM_IDLE_DISCONNECT_MINUTES: z.coerce.number().positive().max(30_000).default(360),
    TELEGRAM_SANDBOX_MIN_GAP_SECONDS: z.coerce.number().min(0).optional(),
    LOG_LEVEL: z.enum(["info", "warn", "error", "silent"]).default("info"),
  })
  .refine((env) => env.TELEGRAM_BACKEND !== "gramjs" || (env.TELEGRAM_API_ID && env.TELEGRAM_API_HASH), {
    message: "TELEGRAM_BACKEND=gramjs needs TELEGRAM_API_ID and TELEGRAM_API_HASH",
  });

export type PoolEnvironment = z.output<typeof Env>;

export function readConfig(env: Record<string, string | undefined>): { options: Omit<TelegramPoolOptions, "log">; logLevel: PoolEnvironment["LOG_LEVEL"] } {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`);
    throw new Error(`The Telegram pool's configuration is invalid:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  return {
    logLevel: e.LOG_LEVEL,
    options: {
      port: e.PORT,
      secret: e.TELEGRAM_POOL_SECRET,
      backend: e.TELEGRAM_BACKEND,
      idleDisconnectMs: e.TELEGRAM_IDLE_DISCONNECT_MINUTES * 60 * 1000,
      ...(e.WORKER_URL ? { workerUrl: e.WORKER_URL } : {}),
      ...(e.TELEGRAM_API_ID && e.TELEGRAM_API_HASH ? { apiId: e.TELEGRAM_API_ID, apiHash: e.TELEGRAM_API_HASH } : {}),
      ...(e.TELEGRAM_SANDBOX_MIN_GAP_SECONDS !== undefined ? { standIn: { minGapSeconds: e.TELEGRAM_SANDBOX_MIN_GAP_SECONDS } } : {}),
    },
  };
}
