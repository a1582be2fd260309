import { z } from "zod";
import { parseBody } from "../../problem.ts";
import { AccountId, E164, type PoolApp, type Services } from "../env.ts";

const AddBody = z.object({ accountId: AccountId, phone: E164 });

/** POST /api/accounts/add: sends the login code to the phone and holds the login for 10 minutes. */
export function registerAddAccount(app: PoolApp, services: Services): void {
  app.post("/api/accounts/add", async (c) => {
    const { accountId, phone } = parseBody(AddBody, c.get("rawBody"));
    return c.json(await services.logins.add(accountId, phone));
  });
}
