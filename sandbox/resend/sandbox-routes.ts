import { Hono } from "hono";
import { z } from "zod";
import type { ResendStandIn } from "./stand-in";

const WebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** `whsec_` + base64, as Resend shows a webhook's signing secret; defaults to the stand-in's. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/).optional(),
});

const InboundSchema = z.strictObject({
  from: z.string().min(3),
  to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
  subject: z.string(),
  text: z.string().optional(),
  html: z.string().optional(),
  cc: z.array(z.string()).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/**
 * `/resend/sandbox/*`: the stand-in's own controls, for tests that reach it over HTTP (workerd)
 * and for the dev stack. Not part of Resend's API; no API key needed.
 */
export function createResendSandboxApp(resend: ResendStandIn): Hono {
  const app = new Hono();

  app.get("/sent", (c) => {
    const to = c.req.query("to");
    return c.json({ data: resend.sent(to ? { to } : {}) });
  });
  app.delete("/sent", (c) => {
    resend.clearSent();
    return c.body(null, 204);
  });

  app.get("/webhook", (c) => c.json(resend.webhookTarget()));
  app.put("/webhook", async (c) => {
    const parsed = WebhookSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_webhook", detail: z.prettifyError(parsed.error) }, 400);
    return c.json(resend.setWebhook(parsed.data));
  });
  app.delete("/webhook", (c) => {
    resend.setWebhook(null);
    return c.body(null, 204);
  });

  app.post("/inbound", async (c) => {
    const parsed = InboundSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_inbound_email", detail: z.prettifyError(parsed.error) }, 400);
    const email = resend.receive(parsed.data);
    return c.json({ id: email.id, message_id: email.messageId }, 201);
  });

  // `?wait=1` answers once every queued webhook has been delivered: a test waits on it, not a sleep.
  app.get("/deliveries", async (c) => {
    if (c.req.query("wait") !== undefined) await resend.settled();
    return c.json({ data: resend.deliveries() });
  });

  return app;
}
