import { parseConfig, type Env } from "../env";
import { createPoolClient, type TelegramPool } from "./telegram/pool-client";

export interface TelegramProviders {
  pool: TelegramPool;
  sessionKey: string;
  /** Where the pool posts replies back: the same secret signs them. */
  secret: string;
}

/**
 * The Telegram pool, or null when it is not configured (no shared secret or no session key): the
 * engine then falls back past Telegram. Locally it is a Node process at TELEGRAM_POOL_URL; in
 * production, the `TelegramPool` Container, one instance for the platform holding every org's
 * accounts (their sessions travel with each request; the container keeps no database).
 */
export function telegramProviders(env: Env): TelegramProviders | null {
  const config = parseConfig(env);
  if (!config.TELEGRAM_POOL_SECRET || !config.TELEGRAM_SESSION_KEY) return null;
  const pool = config.TELEGRAM_POOL_URL
    ? createPoolClient({ fetch: (request) => fetch(request), baseUrl: config.TELEGRAM_POOL_URL.replace(/\/$/, ""), secret: config.TELEGRAM_POOL_SECRET })
    : createPoolClient({ fetch: (request) => env.TELEGRAM_POOL.get(env.TELEGRAM_POOL.idFromName("pool")).fetch(request), baseUrl: "http://telegram-pool", secret: config.TELEGRAM_POOL_SECRET });
  return { pool, sessionKey: config.TELEGRAM_SESSION_KEY, secret: config.TELEGRAM_POOL_SECRET };
}
