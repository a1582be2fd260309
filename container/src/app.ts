import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { verifyPoolRequest, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./auth.ts";
import type { Logger } from "./log.ts";
import { UnexpectedTelegramError } from "./outcomes.ts";
import { PoolError, problem } from "./problem.ts";
import { registerAddAccount } from "./routes/accounts/add.ts";
import { registerForgetAccount } from "./routes/accounts/forget.ts";
import { registerListAccounts } from "./routes/accounts/list.ts";
import { registerVerifyAccount } from "./routes/accounts/verify.ts";
import type { PoolEnv, Services } from "./routes/env.ts";
import { registerHealth } from "./routes/health.ts";
import { registerSend } from "./routes/send.ts";

/** A 4096-character message plus a session string fit many times over. */
const MAX_BODY_BYTES = 64 * 1024;

export interface AppOptions {
  secret: string;
  log: Logger;
  services: Services;
  /** Extra unsigned routes (the stand-in's control routes), mounted before the 404. */
  mount?: (app: Hono<PoolEnv>) => void;
}

export function buildApp({ secret, log, services, mount }: AppOptions): Hono<PoolEnv> {
  const app = new Hono<PoolEnv>();

  app.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problem(c, "payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`) }));

  app.use("/api/*", async (c, next) => {
    const url = new URL(c.req.url);
    const rawBody = await c.req.text();
    const verdict = verifyPoolRequest(
      secret,
      { timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER) },
      { method: c.req.method, path: `${url.pathname}${url.search}`, body: rawBody },
    );
    if (!verdict.ok) {
      log.warn("request_unauthorized", { method: c.req.method, path: url.pathname, reason: verdict.reason });
      return problem(c, "unauthorized", verdict.reason);
    }
    c.set("rawBody", rawBody);
    await next();
  });

  registerHealth(app, services);
  registerSend(app, services);
  registerAddAccount(app, services);
  registerVerifyAccount(app, services);
  registerListAccounts(app, services);
  registerForgetAccount(app, services);
  mount?.(app);

  app.notFound((c) => problem(c, "not_found", `There is no ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((error, c) => {
    if (error instanceof PoolError) return problem(c, error.code, error.message, error.errors, error.headers);
    if (error instanceof UnexpectedTelegramError) {
      return problem(c, "upstream_failed", "Telegram could not be reached, or failed in a way the pool does not recognise; it is logged. Try again later.");
    }
    log.error("request_failed", { method: c.req.method, path: new URL(c.req.url).pathname, error: error.name, message: error.message });
    return problem(c, "internal", "Something went wrong in the pool; it is logged.");
  });
  return app;
}
