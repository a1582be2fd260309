import { sign, verify } from "hono/jwt";
import { z } from "zod";
import { sha256Hex } from "../domain/secrets";

export const DEV_SESSION_COOKIE = "noir_dev_session";
export const DEV_SESSION_TTL_SECONDS = 7 * 24 * 3600;

const DevClaims = z.object({
  sub: z.string().startsWith("dev_"),
  email: z.string().email(),
  name: z.string().nullable(),
  exp: z.number(),
});

/** The dev user's id is derived from the email so signing in again finds the same user. */
export async function devUserId(email: string): Promise<string> {
  return `dev_${(await sha256Hex(email.toLowerCase())).slice(0, 24)}`;
}

export async function signDevSession(user: { id: string; email: string; name: string | null }, secret: string): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + DEV_SESSION_TTL_SECONDS;
  return sign({ sub: user.id, email: user.email, name: user.name, exp }, secret, "HS256");
}

export async function verifyDevSession(token: string, secret: string | undefined) {
  if (!secret) return null;
  try {
    const claims = DevClaims.safeParse(await verify(token, secret, "HS256"));
    return claims.success ? { userId: claims.data.sub, email: claims.data.email, name: claims.data.name } : null;
  } catch {
    return null;
  }
}
