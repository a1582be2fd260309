import { Hono } from "hono";
import { z } from "zod";
import type { TurnstileStandIn } from "./stand-in";

/** Siteverify takes a form or a JSON body; either way these fields, all strings. */
const InputSchema = z.object({ secret: z.string().optional(), response: z.string().optional(), remoteip: z.string().optional(), idempotency_key: z.string().optional() });

/** The wire surface of Turnstile's server side, mounted by the harness under `/turnstile`. */
export function createTurnstileApp(turnstile: TurnstileStandIn): Hono {
  const app = new Hono();

  // Always JSON, always 200 for a verdict (a refused token included), as Cloudflare answers.
  app.post("/v0/siteverify", async (c) => {
    const type = c.req.header("content-type") ?? "";
    let fields: unknown;
    try {
      fields = type.includes("application/json") ? await c.req.json() : Object.fromEntries(new URLSearchParams(await c.req.text()));
    } catch {
      fields = undefined;
    }
    const input = InputSchema.safeParse(fields);
    if (!input.success) return c.json({ success: false, "error-codes": ["bad-request"], messages: [] });
    return c.json(turnstile.verify(input.data));
  });

  return app;
}

/** Injected failures look like siteverify's own trouble: `internal-error`, retry later. */
export function turnstileFaultResponse(status: number): Response {
  return Response.json({ success: false, "error-codes": ["internal-error"], messages: [] }, { status });
}
