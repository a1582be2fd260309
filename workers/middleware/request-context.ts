import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { createDb } from "../db/client";
import { parseConfig } from "../env";
import { createLogger } from "../logger";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Request id (kept from the caller when sane), structured access log, config and db. */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  c.header("x-request-id", requestId);
  const config = parseConfig(c.env);
  const log = createLogger({ requestId }, config.LOG_LEVEL);
  c.set("config", config);
  c.set("log", log);
  c.set("db", createDb(c.env.DB));
  const started = Date.now();
  await next();
  log.info("request", {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Date.now() - started,
  });
});
