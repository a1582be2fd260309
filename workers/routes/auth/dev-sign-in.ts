import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { deleteCookie, setCookie } from "hono/cookie";
import { provisionUser } from "../../db/provision";
import { AppError } from "../../errors";
import { DEV_SESSION_COOKIE, DEV_SESSION_TTL_SECONDS, devUserId, signDevSession } from "../../middleware/dev-session";
import { COMMON_ERRORS, jsonBody, jsonResponse } from "../shared";

const SignIn = z.strictObject({
  email: z.email().max(320).openapi({ example: "demo@noir.local" }),
  name: z.string().trim().min(1).max(200).optional(),
});

const SignedIn = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
  org: z.object({ id: z.string(), name: z.string() }),
});

/** Local development only: sign in as any email without Clerk. Refused when ENVIRONMENT=production. */
export function devAuthRoutes() {
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/auth/dev/sign-in",
        tags: ["Auth"],
        summary: "Local dev sign-in (refused in production)",
        request: { body: jsonBody(SignIn) },
        responses: { 200: jsonResponse(SignedIn, "Signed in; the session cookie is set"), 403: COMMON_ERRORS[401], 422: COMMON_ERRORS[422] },
      }),
      async (c) => {
        const config = c.get("config");
        if (config.ENVIRONMENT === "production") throw new AppError("forbidden", "The local dev sign-in is disabled in production.");
        if (!config.DEV_SESSION_SECRET) throw new AppError("forbidden", "Set DEV_SESSION_SECRET in .dev.vars to use the dev sign-in.");
        const body = c.req.valid("json");
        const email = body.email.toLowerCase();
        const user = { id: await devUserId(email), email, name: body.name ?? null };
        const [membership] = await provisionUser(c.get("db"), user, config.DEFAULT_PHONE_REGION);
        if (!membership) throw new Error("provisioning returned no membership");
        setCookie(c, DEV_SESSION_COOKIE, await signDevSession(user, config.DEV_SESSION_SECRET), {
          httpOnly: true,
          sameSite: "Lax",
          path: "/",
          maxAge: DEV_SESSION_TTL_SECONDS,
        });
        return c.json({ user, org: { id: membership.orgId, name: membership.orgName } }, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/auth/dev/sign-out", tags: ["Auth"], summary: "End the local dev session", responses: { 204: { description: "Signed out" } } }),
      (c) => {
        deleteCookie(c, DEV_SESSION_COOKIE, { path: "/" });
        return c.body(null, 204);
      },
    );
}
