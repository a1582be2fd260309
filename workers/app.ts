import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context";
import { AppError, fieldErrorsFromZod, handleError, problemResponse } from "./errors";
import { authenticate } from "./middleware/authenticate";
import { requestContext } from "./middleware/request-context";
import { resolveTenant } from "./middleware/tenancy";
import { registerDevAuth } from "./routes/auth/dev-sign-in";
import { registerDocs } from "./routes/docs";
import { registerHealth } from "./routes/health";
import { registerDashboard } from "./routes/dashboard";

/** Bodies are small JSON documents except CSV uploads, which have their own larger limit. */
export const JSON_BODY_LIMIT = 256 * 1024;
export const CSV_BODY_LIMIT = 20 * 1024 * 1024;

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    // Every validation failure, whatever the route, becomes the same problem+json shape.
    defaultHook: (result, c) => {
      if (!result.success) {
        return problemResponse(c, "validation_failed", `The request's ${result.target} is not valid.`, fieldErrorsFromZod(result.error, result.target === "json" ? "body" : result.target));
      }
    },
  });
}

export function buildApp() {
  const app = createRouter().basePath("/api");
  app.onError(handleError);
  app.notFound((c) => problemResponse(c, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  app.use("*", requestContext);
  app.use("*", async (c, next) => {
    const isCsv = (c.req.header("content-type") ?? "").startsWith("text/csv") || (c.req.header("content-type") ?? "").startsWith("multipart/form-data");
    return bodyLimit({
      maxSize: isCsv ? CSV_BODY_LIMIT : JSON_BODY_LIMIT,
      onError: () => {
        throw new AppError("payload_too_large", `The body is larger than ${isCsv ? "20 MB" : "256 KB"}. Upload big lead files in chunks (see /api/docs).`);
      },
    })(c, next);
  });

  registerHealth(app);
  registerDevAuth(app);
  registerDocs(app);

  const dashboard = createRouter();
  dashboard.use("*", authenticate, resolveTenant);
  registerDashboard(dashboard);
  app.route("/dashboard", dashboard);
  return app;
}

export type AppType = ReturnType<typeof buildApp>;
