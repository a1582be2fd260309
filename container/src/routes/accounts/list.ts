import type { PoolApp, Services } from "../env.ts";

/** GET /api/accounts: the live clients, then logins in progress for accounts without one. */
export function registerListAccounts(app: PoolApp, services: Services): void {
  app.get("/api/accounts", (c) => {
    const live = services.pool.list().map((account) => ({
      accountId: account.accountId,
      state: account.state,
      connectedAt: account.connectedAt?.toISOString() ?? null,
      lastUsedAt: account.lastUsedAt?.toISOString() ?? null,
      sentSinceConnect: account.sentSinceConnect,
    }));
    const liveIds = new Set(live.map((account) => account.accountId));
    const pending = services.logins
      .list()
      .filter((login) => !liveIds.has(login.accountId))
      .map((login) => ({ accountId: login.accountId, state: "login_pending" as const, connectedAt: null, lastUsedAt: null, sentSinceConnect: 0 }));
    return c.json({ accounts: [...live, ...pending] });
  });
}
