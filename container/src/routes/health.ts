import type { PoolApp, Services } from "./env.ts";

/** GET /api/health: liveness plus the numbers that size the container (clients and memory). */
export function registerHealth(app: PoolApp, services: Services): void {
  app.get("/api/health", (c) => {
    const memory = process.memoryUsage();
    return c.json({
      status: "ok",
      backend: services.backend,
      clients: services.pool.size + services.logins.size,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    });
  });
}
