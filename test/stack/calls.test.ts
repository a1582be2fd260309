import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type RunningStack } from "../../scripts/stack/index.mjs";
import { freePort } from "../browser/support/free-port";

// Full calls on the real stack, as `npm start` runs it: the built Worker under wrangler dev (workerd),
// the sandbox's Twilio dialling our media socket with a simulated callee, Deepgram, ElevenLabs and
// the chat model at the far ends. Calls run in real time, side by side.
let stack: RunningStack;
let persistTo: string;
let cookie: string;

const ADA = "sbxAdaEn9Kd1Fg6Jm3Qw";
const PERSONA = { interested: "+14155550100", objecting: "+14155550101", silent: "+14155550102", interrupting: "+14155550103", voicemail: "+14155550104", busy: "+14155550105", noAnswer: "+14155550106", doNotCall: "+14155550107" };

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.url}/api/dashboard${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function leadWithPhone(phone: string, firstName: string) {
  return api("POST", "/leads", { firstName, company: "Globex", phone, email: `${firstName.toLowerCase()}@globex.example` });
}

/** Polls the call until it has ended and its log is written. */
async function endedCall(id: string, timeoutMs = 90_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const call = await api("GET", `/calls/${id}`);
    if (!["queued", "in_progress"].includes(call.status) && call.endedAt) return call;
    if (Date.now() > deadline) throw new Error(`call ${id} did not end: ${JSON.stringify(call)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function call(leadId: string) {
  const placed = await api("POST", "/calls", { leadId, scriptId: script.id });
  expect(placed).toMatchObject({ status: "queued", providerCallId: expect.stringMatching(/^CA[0-9a-f]{32}$/) });
  return placed;
}

let script: any;

function twilio() {
  if (!stack.sandbox) throw new Error("the stack started without its sandbox");
  return stack.sandbox.twilio;
}

beforeAll(async () => {
  persistTo = await mkdtemp(join(tmpdir(), "noir-calls-"));
  stack = await startStack({ port: await freePort(), inspectorPort: await freePort(), persistTo, sandboxPort: 0, build: false, quiet: true });
  twilio().setTiming({ ringMs: 300, noAnswerMs: 1500, maxCallMs: 60_000 });
  const res = await fetch(`${stack.url}/api/auth/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "caller@noir.test", name: "Caller" }) });
  cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  await api("POST", "/phone-numbers", { number: "+14155550001", label: "Main line" });
  await api("POST", "/voice-configs", { name: "Ada", voiceId: ADA, language: "en", personality: "friendly" });
  await api("POST", "/channel-configs", { channel: "voice", config: { voicemailMessage: "Hi, this is Ada from Noir. We help sales teams reach every lead. I will follow up by email. Goodbye!", maxConcurrentCalls: 10 } });
  script = await api("POST", "/scripts", {
    name: "Demo",
    content: "We help sales teams call every lead on time with an AI agent. It books meetings straight into your calendar. Would a short demo next week help?",
    objectionHandlers: [{ triggers: ["expensive", "price", "cost"], response: "It usually pays for itself within a month, since every lead gets a call." }],
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (persistTo) await rm(persistTo, { recursive: true, force: true });
});

// Independent calls on different numbers, in real time: side by side, so the file takes as long
// as its longest call, not their sum.
describe.concurrent("a call with the AI voice agent", () => {
  it("an interested callee: disclosure first, a real conversation, a meeting booked and the log written", async () => {
    const lead = await leadWithPhone(PERSONA.interested, "Iris");
    const placed = await call(lead.id);
    const log = await endedCall(placed.id);
    expect(log.status).toBe("completed");
    expect(log.transcript[0]).toMatchObject({ role: "agent", text: expect.stringContaining("an AI assistant calling on behalf of") });
    expect(log.transcript.filter((t: any) => t.role === "callee").length).toBeGreaterThanOrEqual(2);
    expect(log.outcome).toBe("meeting_booked");
    expect(log.durationSeconds).toBeGreaterThan(3);
    expect(log.metadata.turnLatenciesMs.length).toBeGreaterThanOrEqual(1);
    // What the callee heard is what the log says the agent said.
    const record = await twilio().waitForCall(placed.providerCallId);
    expect(record.heard.map((h: any) => h.heard).join(" ")).toContain("AI assistant");
    expect(record.protocolErrors).toEqual([]);
    expect((await api("GET", `/leads/${lead.id}`)).status).toBe("qualified");
    // Its seconds count toward the month's voice minutes.
    expect((await api("GET", "/usage")).voice_seconds.used).toBeGreaterThanOrEqual(log.durationSeconds);
  }, 120_000);

  it("an answering machine gets the org's voicemail message, and the call is logged as voicemail", async () => {
    const lead = await leadWithPhone(PERSONA.voicemail, "Olena");
    const placed = await call(lead.id);
    const log = await endedCall(placed.id);
    const record = await twilio().waitForCall(placed.providerCallId);
    expect(record.amd?.answeredBy).toBe("machine_end_beep");
    expect(record.voicemail?.message.map((m: any) => m.heard).join(" ")).toContain("I will follow up by email");
    expect(log.status).toBe("voicemail");
  }, 120_000);

  it("an objecting callee hears the script's objection handler, and the call ends not interested", async () => {
    const lead = await leadWithPhone(PERSONA.objecting, "Oleg");
    const placed = await call(lead.id);
    const log = await endedCall(placed.id);
    expect(log.status).toBe("completed");
    const agent = log.transcript.filter((t: any) => t.role === "agent").map((t: any) => t.text).join(" ");
    expect(agent).toContain("pays for itself");
    expect(log.outcome).toBe("not_interested");
  }, 120_000);

  it("a callee who never speaks: the call is logged with no callee lines and no response", async () => {
    // The silent persona hangs up after 20 s of saying nothing.
    const placed = await call((await leadWithPhone(PERSONA.silent, "Sam")).id);
    const log = await endedCall(placed.id);
    expect(log.status).toBe("completed");
    expect(log.transcript.filter((t: any) => t.role === "callee")).toEqual([]);
    expect(log.outcome).toBe("no_response");
  }, 60_000);

  it("busy and unanswered calls are logged as such, with no media and no minutes", async () => {
    const busy = await call((await leadWithPhone(PERSONA.busy, "Bob")).id);
    const silent = await call((await leadWithPhone(PERSONA.noAnswer, "Nina")).id);
    expect((await endedCall(busy.id)).status).toBe("busy");
    const unanswered = await endedCall(silent.id);
    expect(unanswered).toMatchObject({ status: "no_answer", durationSeconds: 0 });
  }, 60_000);

  it("a callee who asks not to be called again is suppressed on every channel", async () => {
    const lead = await leadWithPhone(PERSONA.doNotCall, "Dana");
    const placed = await call(lead.id);
    const log = await endedCall(placed.id);
    expect(log.outcome).toBe("do_not_call");
    const suppressed = await api("GET", "/suppressions?limit=100");
    const values = suppressed.items.map((s: any) => s.value);
    expect(values).toEqual(expect.arrayContaining([PERSONA.doNotCall, "dana@globex.example"]));
    // And the agent cannot call it again.
    const again = await fetch(`${stack.url}/api/dashboard/calls`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ leadId: lead.id }) });
    expect(again.status).toBe(409);
  }, 120_000);
});

// Alone, after the others: how fast the line is cleared is the point, so no other call competes
// for the local workerd's one thread.
describe("barge-in", () => {
  it("a callee who talks over the agent: the line is cleared at once and the log keeps only what was heard", async () => {
    const lead = await leadWithPhone(PERSONA.interrupting, "Ivan");
    const placed = await call(lead.id);
    const log = await endedCall(placed.id);
    const record = await twilio().waitForCall(placed.providerCallId);
    expect(record.clears.length).toBeGreaterThanOrEqual(1);
    for (const clear of record.clears.filter((c: any) => c.reactionMs !== null)) expect(clear.reactionMs).toBeLessThan(400);
    const cut = record.heard.filter((h: any) => h.cut);
    expect(cut.length).toBeGreaterThanOrEqual(1);
    // The logged agent line for a cut utterance holds its heard words, not the whole reply.
    const agentLines = log.transcript.filter((t: any) => t.role === "agent").map((t: any) => t.text);
    for (const heard of cut.filter((h: any) => h.heard)) expect(agentLines.some((line: string) => line.startsWith(heard.heard.split(" ").slice(0, 3).join(" ")))).toBe(true);
    // A line logged whole was heard whole: the agent may say a cut-off sentence again, in full, later
    // (the model is told only what was heard), but no more often than the callee heard it whole.
    for (const h of cut.filter((c: any) => c.text !== c.heard)) {
      const loggedWhole = agentLines.filter((line: string) => line === h.text).length;
      expect(loggedWhole).toBeLessThanOrEqual(record.heard.filter((x: any) => x.text === h.text && !x.cut).length);
    }
  }, 120_000);

});
