import { Hono } from "hono";
import { z } from "zod";
import { DEFAULT_TIMING } from "./call";
import { FINAL_STATUSES, type CallRecord } from "./call-record";
import type { CallbackKind } from "./callbacks";
import { PERSONA_NAMES, PERSONA_SUFFIXES } from "./personas";
import type { TwilioState } from "./stand-in";

const PersonaBody = z.strictObject({ persona: z.enum(PERSONA_NAMES) });
const SayBody = z.strictObject({ text: z.string().min(1).max(500) });
const ms = z.number().int().min(0).max(600_000);
const TimingBody = z.strictObject({
  dialMs: ms.optional(),
  ringingAfterMs: ms.optional(),
  ringMs: ms.optional(),
  busyAfterMs: ms.optional(),
  noAnswerMs: ms.nullable().optional(),
  maxCallMs: ms.nullable().optional(),
});

const WAITS: Record<string, (call: CallRecord) => boolean> = {
  ended: (call) => FINAL_STATUSES.includes(call.status),
  answered: (call) => call.answeredAt !== null,
  streaming: (call) => call.streams.some((s) => s.connectedAtMs !== null),
  amd: (call) => call.amd?.answeredBy != null,
};

/**
 * `/twilio/sandbox/*`: the stand-in's own controls, for tests that only have HTTP (workerd) and
 * for the dev stack. Not part of Twilio's API; no credentials needed.
 */
export function createTwilioSandboxApp(state: TwilioState): Hono {
  const app = new Hono();

  app.get("/calls", (c) => c.json({ data: state.calls(c.req.query("to") ? { to: c.req.query("to") ?? "" } : undefined) }));
  app.delete("/calls", (c) => {
    state.reset();
    return c.body(null, 204);
  });

  // `?wait=ended|answered|streaming|amd` answers once that holds (or 408 after `timeoutMs`, default 30 s).
  app.get("/calls/:sid", async (c) => {
    const callSid = c.req.param("sid");
    if (!state.call(callSid)) return c.json({ error: "no_such_call" }, 404);
    const wait = c.req.query("wait");
    if (wait === undefined) return c.json(state.call(callSid));
    const predicate = WAITS[wait];
    if (!predicate) return c.json({ error: "unknown_wait", allowed: Object.keys(WAITS) }, 400);
    const timeoutMs = Number(c.req.query("timeoutMs") ?? "30000");
    try {
      return c.json(await state.waitForCall(callSid, predicate, { timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : 30_000 }));
    } catch {
      return c.json({ error: "timeout", call: state.call(callSid) }, 408);
    }
  });

  app.post("/calls/:sid/hangup", (c) => (state.hangup(c.req.param("sid")) ? c.body(null, 204) : c.json({ error: "not_live" }, 409)));
  app.post("/calls/:sid/say", async (c) => {
    const parsed = SayBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_body", detail: z.prettifyError(parsed.error) }, 400);
    return state.say(c.req.param("sid"), parsed.data.text) ? c.body(null, 204) : c.json({ error: "not_live" }, 409);
  });

  app.get("/personas", (c) => c.json({ suffixes: PERSONA_SUFFIXES, overrides: state.personaOverrides() }));
  app.put("/personas/:number", async (c) => {
    const parsed = PersonaBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_persona", allowed: PERSONA_NAMES }, 400);
    state.setPersona(c.req.param("number"), parsed.data.persona);
    return c.json({ number: c.req.param("number"), persona: parsed.data.persona });
  });
  app.delete("/personas/:number", (c) => {
    state.setPersona(c.req.param("number"), null);
    return c.body(null, 204);
  });

  app.get("/timing", (c) => c.json(state.timing()));
  app.put("/timing", async (c) => {
    const parsed = TimingBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_timing", detail: z.prettifyError(parsed.error) }, 400);
    const { noAnswerMs, maxCallMs, ...rest } = parsed.data;
    return c.json(
      state.setTiming({
        ...DEFAULT_TIMING,
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
        noAnswerMs: noAnswerMs ?? null,
        maxCallMs: maxCallMs ?? null,
      }),
    );
  });

  // `?wait` first lets queued callbacks finish.
  app.get("/deliveries", async (c) => {
    const callSid = c.req.query("callSid");
    const kind = c.req.query("kind") as CallbackKind | undefined;
    if (c.req.query("wait") !== undefined) await state.settled(callSid);
    return c.json({ data: state.deliveries({ ...(callSid ? { callSid } : {}), ...(kind ? { kind } : {}) }) });
  });

  return app;
}
