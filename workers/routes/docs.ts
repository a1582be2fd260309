import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { API_REFERENCE_HTML } from "./docs-page";

const SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { clerkSession: [] }];

/** The OpenAPI 3.1 document, generated from the routes' own zod schemas, and a reader for it. */
export function registerDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An organization API key: `Authorization: Bearer noir_…` (create one in Settings → API keys).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "clerkSession", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Clerk session token (Authorization header or the `__session` cookie).",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Noir API",
      version: "1.0.0",
      description:
        "Import leads, write scripts, configure voices and run outreach campaigns. Every error is `application/problem+json`. Lists use keyset pagination: pass the previous page's `nextCursor` as `?cursor=`.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
    security: SECURITY,
  }));
  // Self-contained page: no script or style from elsewhere, so it works offline too.
  app.get("/docs", (c) => c.html(API_REFERENCE_HTML));
}
