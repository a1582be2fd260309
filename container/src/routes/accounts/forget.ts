import type { PoolApp, Services } from "../env.ts";

/** DELETE /api/accounts/:accountId: disconnects the account and drops any login in progress. 204 either way. */
export function registerForgetAccount(app: PoolApp, services: Services): void {
  app.delete("/api/accounts/:accountId", async (c) => {
    const accountId = c.req.param("accountId");
    await Promise.all([services.pool.forget(accountId), services.logins.forget(accountId)]);
    return c.body(null, 204);
  });
}
