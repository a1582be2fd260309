import { Hono } from "hono";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { verifyTwilioSignature } from "../providers/twilio/signature";

const CALL_ID = /^call_[0-9a-z]{26}$/;

/**
 * Twilio's media socket for a call: `<Connect><Stream url="wss://…/api/voice/media/:callId">`.
 * Twilio signs the handshake like any webhook (X-Twilio-Signature over the wss URL); the socket
 * then goes to the call's CallSession, which also checks the stream's CallSid and token.
 */
export function voiceMediaRoutes() {
  return new Hono<AppEnv>().get("/voice/media/:callId", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new AppError("bad_request", "This is Twilio's media socket: connect with a WebSocket upgrade.");
    const callId = c.req.param("callId");
    if (!CALL_ID.test(callId)) throw new AppError("not_found", "Call was not found.");
    const authToken = c.get("config").TWILIO_AUTH_TOKEN;
    const signature = c.req.header("x-twilio-signature");
    if (!authToken || !signature) throw new AppError("unauthorized", "The media socket must be signed by Twilio.");
    const url = new URL(c.req.url);
    url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
    if (!(await verifyTwilioSignature({ authToken, url: url.href, params: {}, signature }))) throw new AppError("unauthorized", "The Twilio signature was refused.");
    const known = await c.env.DB.prepare("SELECT 1 FROM call_logs WHERE id = ?1").bind(callId).first();
    if (!known) throw new AppError("not_found", "Call was not found.");
    return c.env.CALL_SESSION.get(c.env.CALL_SESSION.idFromName(callId)).fetch(c.req.raw);
  });
}
