import type { Hono } from "hono";
import { z } from "zod";
import { parseBody, PoolError } from "../problem.ts";
import { AccountId, type PoolEnv } from "../routes/env.ts";
import type { StandInTelegram } from "./telegram.ts";

const ReplyBody = z.object({ accountId: AccountId, fromUsername: z.string().min(1).max(64), text: z.string().min(1).max(4_096) });
const BehaviourBody = z.strictObject({
  minGapSeconds: z.number().min(0).max(86_400).optional(),
  dailyPeerFloodAfter: z.number().int().min(0).optional(),
  banned: z.array(AccountId).optional(),
  replyDelayMs: z.number().int().min(0).max(600_000).optional(),
});

/**
 * The stand-in's control panel, unsigned and mounted only with TELEGRAM_BACKEND=sandbox:
 *   GET  /sandbox/telegram/sent       what each account sent
 *   POST /sandbox/telegram/reply      a lead writes to an account {accountId, fromUsername, text}
 *   GET|PUT /sandbox/telegram/behaviour  flood limits, banned accounts, reply delay
 *   POST /sandbox/telegram/reset      back to the starting behaviour, nothing sent
 */
export function mountStandInRoutes(app: Hono<PoolEnv>, telegram: StandInTelegram): void {
  app.get("/sandbox/telegram/sent", (c) => c.json({ accounts: telegram.sent() }));

  app.post("/sandbox/telegram/reply", async (c) => {
    const { accountId, fromUsername, text } = parseBody(ReplyBody, await c.req.text());
    const lead = telegram.leadByUsername(fromUsername.replace(/^@/, ""));
    if (!lead) throw new PoolError("unprocessable", `@${fromUsername} is not a user in the stand-in's directory.`, [{ path: "fromUsername", message: "No such user" }]);
    return c.json(telegram.deliverFrom(accountId, lead, text));
  });

  app.get("/sandbox/telegram/behaviour", (c) => c.json(telegram.behaviour));
  app.put("/sandbox/telegram/behaviour", async (c) => {
    const change = parseBody(BehaviourBody, await c.req.text());
    return c.json(telegram.setBehaviour(Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))));
  });

  app.post("/sandbox/telegram/reset", (c) => {
    telegram.reset();
    return c.body(null, 204);
  });
}
