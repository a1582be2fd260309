import { buildApp } from "./app";
import { runHousekeeping } from "./cron/housekeeping";
import { createDb } from "./db/client";
import type { Env } from "./env";
import { createLogger } from "./logger";
import { consumeDeadLetters } from "./queues/dead-letter-consumer";
import { consumeDispatch } from "./queues/dispatch-consumer";

/** Serves everything outside /api: the Astro site in production, nothing in API-only tests. */
export type SiteHandler = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

/**
 * The Worker's handlers. The entry (`workers/index.ts`) passes Astro's handler; tests pass
 * a stub so they can run without a site build. Everything under /api is Hono's.
 */
export function createWorker(site: SiteHandler): ExportedHandler<Env> {
  const app = buildApp();
  return {
    fetch(request, env, ctx) {
      const { pathname } = new URL(request.url);
      if (pathname === "/api" || pathname.startsWith("/api/")) return app.fetch(request, env, ctx);
      return site(request, env, ctx);
    },
    async queue(batch, env) {
      // The dead-letter queue's name ends in -dlq (wrangler.toml); everything else is DISPATCH.
      if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
      return consumeDispatch(batch, env);
    },
    async scheduled(controller, env) {
      const log = createLogger({ cron: controller.cron });
      const result = await runHousekeeping(createDb(env.DB), new Date(controller.scheduledTime));
      log.info("housekeeping", { ...result });
    },
  };
}
