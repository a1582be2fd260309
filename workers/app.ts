import { telegramWebhookRoutes } from "./routes/webhooks/telegram";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context";
import { AppError, handleError, problemResponse } from "./errors";
import { requestContext } from "./middleware/request-context";
import { devAuthRoutes } from "./routes/auth/dev-sign-in";
import { dashboardRoutes } from "./routes/dashboard";
import { registerDocs } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { demoCallRoutes } from "./routes/public/demo-call";
import { unsubscribeRoutes } from "./routes/public/unsubscribe";
import { resendWebhookRoutes } from "./routes/webhooks/resend";
import { twilioWebhookRoutes } from "./routes/webhooks/twilio";
import { voiceMediaRoutes } from "./routes/voice-media";
import { createRouter } from "./routes/router";
import type { MiddlewareHandler } from "hono";

/** Bodies are small JSON documents except CSV uploads, which have their own larger limit. */
export const JSON_BODY_LIMIT = 256 * 1024;
export const CSV_BODY_LIMIT = 20 * 1024 * 1024;

const limitBodies: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  const isUpload = type.startsWith("text/csv") || type.startsWith("multipart/form-data");
  return bodyLimit({
    maxSize: isUpload ? CSV_BODY_LIMIT : JSON_BODY_LIMIT,
    onError: () => {
      throw new AppError("payload_too_large", `The body is larger than ${isUpload ? "20 MB" : "256 KB"}. Upload big lead files in chunks (see /api/docs).`);
    },
  })(c, next);
};

export function buildApp() {
  const api = createRouter().basePath("/api");
  api.use("*", requestContext, limitBodies);
  const app = api
    .route("/", healthRoutes())
    .route("/", devAuthRoutes())
    .route("/", resendWebhookRoutes())
    .route("/", unsubscribeRoutes())
    .route("/", demoCallRoutes())
    .route("/", twilioWebhookRoutes())
    .route("/", telegramWebhookRoutes())
    .route("/", voiceMediaRoutes())
    .route("/dashboard", dashboardRoutes());
  app.onError(handleError);
  app.notFound((c) => problemResponse(c, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  registerDocs(app);
  return app;
}

/** The whole API's type, for `hc<AppType>()` from `hono/client` in the site and tests. */
export type AppType = ReturnType<typeof buildApp>;
