import { z } from "zod";
import { parseBody } from "../problem.ts";
import { AccountId, E164, type PoolApp, type Services } from "./env.ts";

const SendBody = z.object({
  accountId: AccountId,
  session: z.string().min(1).max(8_192),
  to: z.union(
    [
      // Leads' usernames arrive as typed, "@olena" or "olena"; Telegram itself judges the rest.
      z.strictObject({ username: z.string().trim().transform((name) => name.replace(/^@/, "")).pipe(z.string().min(1).max(64)) }),
      z.strictObject({ phone: E164 }),
    ],
    { error: "Give exactly one of {username} or {phone} (E.164)" },
  ),
  // Telegram's limit for one text message is 4096 characters (UTF-16 units, as JS counts).
  text: z.string().max(4_096).regex(/\S/, "Must contain more than whitespace"),
  idempotencyKey: z.string().min(1).max(256),
});

/** POST /api/send: one message to one lead; always 200 with the outcome (see outcomes.ts). */
export function registerSend(app: PoolApp, services: Services): void {
  app.post("/api/send", async (c) => {
    const body = parseBody(SendBody, c.get("rawBody"));
    return c.json(await services.sender.send(body));
  });
}
