import { verifyToken } from "@clerk/backend";
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { apiKeys } from "../../drizzle/schema";
import type { AppEnv, Principal } from "../context";
import { issuerFromPublishableKey } from "../domain/clerk-issuer";
import { API_KEY_PREFIX, sha256Hex } from "../domain/secrets";
import { AppError } from "../errors";
import { verifyDevSession, DEV_SESSION_COOKIE } from "./dev-session";

const ClerkClaims = z.object({
  sub: z.string().min(1).max(128),
  // Our Clerk session-token template adds these; Clerk's default token has neither.
  email: z.string().email().max(320).optional().catch(undefined),
  name: z.string().max(200).optional().catch(undefined),
});

const unauthorized = (detail: string) => new AppError("unauthorized", detail);

/**
 * Who is calling, from (in order) an API key, a Clerk session token (Authorization header or
 * Clerk's `__session` cookie), or the local dev session cookie. Anything else is a 401.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (c.req.header("authorization") && !bearer) throw unauthorized("The Authorization header must be 'Bearer <token>'.");

  let principal: Principal;
  if (bearer?.startsWith(API_KEY_PREFIX)) principal = await principalFromApiKey(c, bearer);
  else if (bearer ?? getCookie(c, "__session")) principal = await principalFromClerk(c, bearer ?? getCookie(c, "__session")!);
  else if (getCookie(c, DEV_SESSION_COOKIE)) principal = await principalFromDevSession(c, getCookie(c, DEV_SESSION_COOKIE)!);
  else throw unauthorized("Sign in, or send an API key as 'Authorization: Bearer noir_…'.");

  c.set("principal", principal);
  await next();
});

async function principalFromApiKey(c: Context<AppEnv>, key: string): Promise<Principal> {
  const db = c.get("db");
  const now = new Date();
  const hash = await sha256Hex(key);
  const [row] = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))))
    .limit(1);
  if (!row) throw unauthorized("This API key is not valid, or it was revoked.");
  // At most one write a minute per key: a busy integration should not turn every read into a write.
  const staleBefore = new Date(now.getTime() - 60_000);
  c.executionCtx.waitUntil(
    db.update(apiKeys).set({ lastUsedAt: now }).where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore)))).then(() => undefined),
  );
  return { kind: "api_key", apiKeyId: row.id, orgId: row.orgId };
}

async function principalFromClerk(c: Context<AppEnv>, token: string): Promise<Principal> {
  const config = c.get("config");
  if (!config.CLERK_JWT_KEY || !config.CLERK_PUBLISHABLE_KEY) {
    throw unauthorized("Session tokens are not accepted here: CLERK_JWT_KEY and CLERK_PUBLISHABLE_KEY are not configured.");
  }
  // Without an azp allowlist a token minted for another site on a sibling subdomain would pass.
  if (config.ENVIRONMENT === "production" && config.CLERK_AUTHORIZED_PARTIES.length === 0) {
    throw unauthorized("Session tokens are not accepted here: CLERK_AUTHORIZED_PARTIES is not configured.");
  }
  const issuer = issuerFromPublishableKey(config.CLERK_PUBLISHABLE_KEY);
  if (!issuer) throw new Error("CLERK_PUBLISHABLE_KEY is not a Clerk publishable key");
  let payload: unknown;
  try {
    payload = await verifyToken(token, {
      jwtKey: config.CLERK_JWT_KEY,
      issuer,
      authorizedParties: config.CLERK_AUTHORIZED_PARTIES.length ? config.CLERK_AUTHORIZED_PARTIES : undefined,
    });
  } catch (err) {
    c.get("log").info("session token refused", { reason: err instanceof Error ? err.message : "unknown" });
    throw unauthorized("The session token is invalid or expired. Sign in again.");
  }
  const claims = ClerkClaims.safeParse(payload);
  if (!claims.success) throw unauthorized("The session token lacks a subject.");
  return { kind: "user", userId: claims.data.sub, email: claims.data.email?.toLowerCase() ?? null, name: claims.data.name ?? null, via: "clerk" };
}

async function principalFromDevSession(c: Context<AppEnv>, cookie: string): Promise<Principal> {
  const config = c.get("config");
  if (config.ENVIRONMENT === "production") throw unauthorized("The local dev sign-in is disabled in production.");
  const session = await verifyDevSession(cookie, config.DEV_SESSION_SECRET);
  if (!session) throw unauthorized("The dev session is invalid or expired. Sign in again.");
  return { kind: "user", userId: session.userId, email: session.email, name: session.name, via: "dev" };
}
