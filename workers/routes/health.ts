import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "./router";
import { jsonResponse } from "./shared";

export function healthRoutes() {
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/health",
        tags: ["Meta"],
        summary: "Liveness, and whether the database answers",
        responses: { 200: jsonResponse(z.object({ status: z.literal("ok") }), "Up"), 503: jsonResponse(z.object({ status: z.literal("degraded") }), "Database unreachable") },
      }),
      async (c) => {
        try {
          await c.env.DB.prepare("SELECT 1").first();
          return c.json({ status: "ok" as const }, 200);
        } catch {
          return c.json({ status: "degraded" as const }, 503);
        }
      },
    );
}
