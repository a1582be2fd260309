import type { Hono } from "hono";
import { z } from "zod";
import type { Logins } from "../logins.ts";
import type { Pool } from "../pool.ts";
import type { Sender } from "../sender.ts";

/** What every route may use; built once per server in index.ts, never module state. */
export interface Services {
  backend: "gramjs" | "sandbox";
  pool: Pool;
  sender: Sender;
  logins: Logins;
}

export interface PoolEnv {
  Variables: {
    /** The body exactly as signed; routes parse it from here. */
    rawBody: string;
  };
}

export type PoolApp = Hono<PoolEnv>;

/** The Worker's id for a Telegram account; it travels in paths, so keep it URL-plain. */
export const AccountId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "Letters, digits and . _ : - only");

/** E.164: a plus, a country code and up to 15 digits in all. */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "An E.164 phone number, like +14155550123");
