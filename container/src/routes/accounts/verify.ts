import { z } from "zod";
import { fieldErrors, parseBody, PoolError } from "../../problem.ts";
import { AccountId, type PoolApp, type Services } from "../env.ts";

const VerifyBody = z
  .object({
    code: z.string().trim().min(1).max(16).optional(),
    password: z.string().min(1).max(256).optional(),
  })
  .refine((body) => body.code !== undefined || body.password !== undefined, { message: "Give the code, or the password once it is asked for" });

/** POST /api/accounts/:accountId/verify: the code, then the 2FA password if Telegram asks for it. */
export function registerVerifyAccount(app: PoolApp, services: Services): void {
  app.post("/api/accounts/:accountId/verify", async (c) => {
    const accountId = AccountId.safeParse(c.req.param("accountId"));
    if (!accountId.success) {
      throw new PoolError("invalid_body", "The account id in the path is not valid.", fieldErrors(accountId.error).map((e) => ({ ...e, path: "accountId" })));
    }
    const body = parseBody(VerifyBody, c.get("rawBody"));
    return c.json(await services.logins.verify(accountId.data, body));
  });
}
