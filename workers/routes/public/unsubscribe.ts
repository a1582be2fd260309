import { createRoute, z } from "@hono/zod-openapi";
import { verifyUnsubscribeToken } from "../../domain/email";
import { suppressLead } from "../../db/suppress-lead";
import { AppError } from "../../errors";
import { createRouter } from "../router";
import { COMMON_ERRORS } from "../shared";

const TokenParam = z.object({ token: z.string().min(10).max(300).openapi({ param: { name: "token", in: "path" } }) });

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #111;background:#111;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #4b6bfb;outline-offset:2px}</style>
</head><body><main>${body}</main></body></html>`;

async function leadOf(token: string, secret: string | undefined) {
  if (!secret) throw new AppError("not_found", "Unsubscribe links are not enabled here.");
  const subject = await verifyUnsubscribeToken(token, secret);
  if (!subject) throw new AppError("not_found", "This unsubscribe link is not valid.");
  return subject;
}

/**
 * The link in every email's footer and List-Unsubscribe header. GET shows a confirmation (mail
 * scanners follow links, so a GET alone must not unsubscribe); POST is RFC 8058's one-click.
 */
export function unsubscribeRoutes() {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/unsubscribe/{token}", tags: ["Public"], summary: "The unsubscribe page a lead lands on", request: { params: TokenParam }, responses: { 200: { description: "A confirmation page", content: { "text/html": { schema: z.string() } } }, 404: COMMON_ERRORS[404] } }),
      async (c) => {
        const { token } = c.req.valid("param");
        await leadOf(token, c.get("config").EMAIL_TOKEN_SECRET);
        return c.html(page("Unsubscribe", `<h1>Unsubscribe</h1><p>Stop all messages from this sender — email, Telegram and calls?</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" autofocus>Unsubscribe</button></form>`), 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/unsubscribe/{token}", tags: ["Public"], summary: "One-click unsubscribe (RFC 8058): suppresses the lead on every channel", request: { params: TokenParam }, responses: { 200: { description: "Done", content: { "text/html": { schema: z.string() } } }, 404: COMMON_ERRORS[404] } }),
      async (c) => {
        const { orgId, leadId } = await leadOf(c.req.valid("param").token, c.get("config").EMAIL_TOKEN_SECRET);
        await suppressLead(c.get("db"), orgId, leadId, "opt_out", "email", "unsubscribe link");
        return c.html(page("Unsubscribed", "<h1>You are unsubscribed</h1><p>You will not hear from this sender again, on any channel.</p>"), 200);
      },
    );
}
