import { Hono } from "hono";
import { z } from "zod";
import { clerkError } from "./errors";
import type { ClerkStandIn } from "./stand-in";

/** `POST /sessions` is ours, not Clerk's: it stands in for a browser signing in. */
const MintRequestSchema = z.strictObject({
  userId: z.string().regex(/^user_[A-Za-z0-9]+$/).optional(),
  email: z.email().optional(),
  name: z.string().trim().min(1).max(200).optional(),
  azp: z.url().optional(),
  expiresInSeconds: z.number().int().min(1).max(86_400).optional(),
});

/** The wire surface of a Clerk instance, mounted by the harness under `/clerk`. */
export function createClerkApp(clerk: ClerkStandIn): Hono {
  const app = new Hono();

  // Frontend API: public, what `@clerk/backend` fetches when it verifies by JWKS.
  app.get("/.well-known/jwks.json", (c) => c.json(clerk.jwks));

  // Backend API: the same keys behind the secret key.
  // https://clerk.com/docs/reference/backend-api/tag/jwks/get/jwks
  app.get("/v1/jwks", (c) => {
    if (c.req.header("authorization") !== `Bearer ${clerk.secretKey}`) {
      // The code `@clerk/backend` maps to "invalid secret key".
      return clerkError(401, "clerk_key_invalid", "The provided Clerk Secret Key is invalid.");
    }
    return c.json(clerk.jwks);
  });

  // What the dashboard shows as "JWT public key"; our Worker verifies with it offline.
  app.get("/jwt-key", (c) => c.text(clerk.publicKeyPem));

  app.post("/sessions", async (c) => {
    const text = await c.req.text();
    let body: unknown = {};
    try {
      if (text.trim() !== "") body = JSON.parse(text);
    } catch {
      return clerkError(400, "form_param_format_invalid", "The body is not JSON.");
    }
    const parsed = MintRequestSchema.safeParse(body);
    if (!parsed.success) {
      return clerkError(422, "form_param_format_invalid", "Invalid session request", z.prettifyError(parsed.error));
    }
    const { token, userId, sessionId } = await clerk.mintSessionToken(parsed.data);
    return c.json({ token, userId, sessionId });
  });

  return app;
}
